#include "gui/SyncRulesForm.h"

#include "ui_syncrulesform.h"

#include <QCompleter>
#include <QEvent>
#include <QLineEdit>
#include <QLocale>

#include <algorithm>

namespace lb::gui {

SyncRulesForm::SyncRulesForm(QWidget *parent) : QWidget(parent), m_ui(std::make_unique<Ui::SyncRulesForm>())
{
    m_ui->setupUi(this);
    fillChoices();
    // Searchable: typing "germ" or "DE" offers Germany; what was typed never becomes a country of its own.
    QCompleter *completer = m_ui->countryCombo->completer();
    completer->setFilterMode(Qt::MatchContains);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setCompletionMode(QCompleter::PopupCompletion);
    m_ui->countryCombo->setMinimumContentsLength(22);
    m_ui->countryCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);

    for (QComboBox *combo : {m_ui->sharedFieldsCombo, m_ui->sharedTagsCombo, m_ui->deletedNotesCombo,
                             m_ui->deletedContactsCombo, m_ui->countryCombo})
        connect(combo, &QComboBox::currentIndexChanged, this, &SyncRulesForm::emitEdited);
    connect(m_ui->deletedTagEdit, &QLineEdit::editingFinished, this, &SyncRulesForm::emitEdited);
    connect(m_ui->countryCombo->lineEdit(), &QLineEdit::editingFinished, this, [this] {
        // Text that names no country goes back to the chosen one.
        const int at = m_ui->countryCombo->findText(m_ui->countryCombo->currentText(), Qt::MatchFixedString);
        if (at >= 0)
            m_ui->countryCombo->setCurrentIndex(at);
        else
            m_ui->countryCombo->setEditText(m_ui->countryCombo->itemText(m_ui->countryCombo->currentIndex()));
    });
    setPolicy(m_policy);
}

SyncRulesForm::~SyncRulesForm() = default;

QList<std::pair<QString, QString>> SyncRulesForm::countries()
{
    static const QList<std::pair<QString, QString>> list = [] {
        QList<std::pair<QString, QString>> out;
        for (int t = 1; t <= int(QLocale::LastTerritory); ++t) {
            const auto territory = QLocale::Territory(t);
            const QString code = QLocale::territoryToCode(territory);
            // Regions such as "419" (Latin America) are not countries a phone number can be in.
            if (code.size() != 2 || !code.at(0).isLetter())
                continue;
            out.append({code, QLocale::territoryToString(territory)});
        }
        std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) {
            return QString::localeAwareCompare(a.second, b.second) < 0;
        });
        out.erase(std::unique(out.begin(), out.end(),
                              [](const auto &a, const auto &b) { return a.first == b.first; }),
                  out.end());
        return out;
    }();
    return list;
}

void SyncRulesForm::fillChoices()
{
    const QSignalBlocker b1(m_ui->sharedFieldsCombo), b2(m_ui->sharedTagsCombo), b3(m_ui->deletedNotesCombo),
        b4(m_ui->deletedContactsCombo), b5(m_ui->countryCombo);
    m_ui->sharedFieldsCombo->clear();
    m_ui->sharedFieldsCombo->addItem(tr("the most recently updated contact"),
                                     int(SharedEmailFields::MostRecentlyUpdated));
    m_ui->sharedFieldsCombo->addItem(tr("the oldest contact"), int(SharedEmailFields::Oldest));
    m_ui->sharedTagsCombo->clear();
    m_ui->sharedTagsCombo->addItem(tr("all the contacts"), int(SharedEmailTags::Union));
    m_ui->sharedTagsCombo->addItem(tr("that contact only"), int(SharedEmailTags::ChosenContact));
    m_ui->deletedNotesCombo->clear();
    m_ui->deletedNotesCombo->addItem(tr("stays in Saleshandy as it is"), int(DeletedNotePolicy::Leave));
    m_ui->deletedNotesCombo->addItem(tr("gets the prefix “[Deleted in GHL]”"),
                                     int(DeletedNotePolicy::MarkDeleted));
    m_ui->deletedContactsCombo->clear();
    m_ui->deletedContactsCombo->addItem(tr("tags its prospect with"), int(DeletedContactPolicy::Tag));
    m_ui->deletedContactsCombo->addItem(tr("changes nothing in Saleshandy"),
                                        int(DeletedContactPolicy::Nothing));
    m_ui->countryCombo->clear();
    m_ui->countryCombo->addItem(tr("None"), QString());
    for (const auto &[code, name] : countries())
        m_ui->countryCombo->addItem(tr("%1 (%2)").arg(name, code), code);
}

void SyncRulesForm::setPolicy(const SyncPolicy &policy)
{
    m_updating = true;
    m_policy = policy;
    const auto choose = [](QComboBox *combo, const QVariant &value) {
        combo->setCurrentIndex(std::max(0, combo->findData(value)));
    };
    choose(m_ui->sharedFieldsCombo, int(policy.sharedEmailFields));
    choose(m_ui->sharedTagsCombo, int(policy.sharedEmailTags));
    choose(m_ui->deletedNotesCombo, int(policy.deletedNotes));
    choose(m_ui->deletedContactsCombo, int(policy.deletedContacts));
    choose(m_ui->countryCombo, policy.defaultCountry.toUpper());
    m_ui->deletedTagEdit->setText(policy.deletedContactTag);
    m_ui->deletedTagEdit->setEnabled(policy.deletedContacts == DeletedContactPolicy::Tag);
    m_updating = false;
}

SyncPolicy SyncRulesForm::policy() const
{
    SyncPolicy p = m_policy;
    p.sharedEmailFields = SharedEmailFields(m_ui->sharedFieldsCombo->currentData().toInt());
    p.sharedEmailTags = SharedEmailTags(m_ui->sharedTagsCombo->currentData().toInt());
    p.deletedNotes = DeletedNotePolicy(m_ui->deletedNotesCombo->currentData().toInt());
    p.deletedContacts = DeletedContactPolicy(m_ui->deletedContactsCombo->currentData().toInt());
    p.defaultCountry = m_ui->countryCombo->currentData().toString();
    const QString tag = m_ui->deletedTagEdit->text().trimmed();
    if (!tag.isEmpty())
        p.deletedContactTag = tag;
    return p;
}

void SyncRulesForm::emitEdited()
{
    if (m_updating)
        return;
    const SyncPolicy p = policy();
    m_ui->deletedTagEdit->setEnabled(p.deletedContacts == DeletedContactPolicy::Tag);
    if (p == m_policy)
        return;
    m_policy = p;
    Q_EMIT policyEdited(p);
}

void SyncRulesForm::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        m_ui->retranslateUi(this);
        const SyncPolicy p = m_policy;
        fillChoices();
        setPolicy(p);
    }
    QWidget::changeEvent(event);
}

} // namespace lb::gui
