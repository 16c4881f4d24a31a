#include "gui/RecordDialogs.h"

#include "ui_contactdialog.h"
#include "ui_notedialog.h"
#include "ui_taskdialog.h"

#include <QPushButton>
#include <QRegularExpression>

namespace lb::gui {

void showFormError(QLabel *label, const QString &text)
{
    // Bold in the normal text colour rather than a fixed red: red on a dark palette is hard to read,
    // and the icon-free sentence says what is wrong anyway.
    QFont font = label->font();
    font.setBold(!text.isEmpty());
    label->setFont(font);
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

// ---- ContactDialog

ContactDialog::ContactDialog(Mode mode, QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::ContactDialog>()), m_mode(mode)
{
    m_ui->setupUi(this);
    setWindowTitle(mode == Mode::Create ? tr("New contact") : tr("Edit contact"));
    m_ui->errorLabel->hide();
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &ContactDialog::accept);
    if (mode == Mode::Edit) {
        // Tags have their own buttons (GHL's update would replace the whole set), and GHL's update
        // call has no company field: offering it would silently do nothing.
        m_ui->tagsLabel->hide();
        m_ui->tagsEdit->hide();
        m_ui->companyEdit->setEnabled(false);
        m_ui->companyEdit->setToolTip(tr("GHL's API cannot change the company of an existing contact."));
    }
    // Clear the complaint as soon as the person starts fixing it.
    for (QLineEdit *edit : findChildren<QLineEdit *>())
        connect(edit, &QLineEdit::textEdited, this, [this] { showFormError(m_ui->errorLabel, {}); });
}

ContactDialog::~ContactDialog() = default;

void ContactDialog::setContact(const Contact &c)
{
    m_contact = c;
    m_ui->firstNameEdit->setText(c.firstName);
    m_ui->lastNameEdit->setText(c.lastName);
    m_ui->emailEdit->setText(c.email);
    m_ui->phoneEdit->setText(c.phone);
    m_ui->companyEdit->setText(c.companyName);
    m_ui->addressEdit->setText(c.address1);
    m_ui->cityEdit->setText(c.city);
    m_ui->stateEdit->setText(c.state);
    m_ui->postalCodeEdit->setText(c.postalCode);
    m_ui->countryEdit->setText(c.country);
    m_ui->websiteEdit->setText(c.website);
    m_ui->tagsEdit->setText(c.tags.join(QStringLiteral(", ")));
}

Contact ContactDialog::contact() const
{
    Contact c = m_contact;
    c.firstName = m_ui->firstNameEdit->text().trimmed();
    c.lastName = m_ui->lastNameEdit->text().trimmed();
    c.email = m_ui->emailEdit->text().trimmed();
    c.phone = m_ui->phoneEdit->text().trimmed();
    c.companyName = m_ui->companyEdit->text().trimmed();
    c.address1 = m_ui->addressEdit->text().trimmed();
    c.city = m_ui->cityEdit->text().trimmed();
    c.state = m_ui->stateEdit->text().trimmed();
    c.postalCode = m_ui->postalCodeEdit->text().trimmed();
    c.country = m_ui->countryEdit->text().trimmed();
    c.website = m_ui->websiteEdit->text().trimmed();
    if (m_mode == Mode::Create) {
        c.tags.clear();
        for (const QString &tag : m_ui->tagsEdit->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (!tag.trimmed().isEmpty())
                c.tags << tag.trimmed();
        }
    }
    return c;
}

bool ContactDialog::isValidEmail(const QString &email)
{
    // Deliberately simple: one @, something before it, a dotted domain after it, no spaces.
    static const QRegularExpression re(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s.]{2,}$"));
    return re.match(email.trimmed()).hasMatch();
}

bool ContactDialog::isValidPhone(const QString &phone)
{
    static const QRegularExpression allowed(QStringLiteral("^\\+?[0-9 ()./-]+$"));
    const QString p = phone.trimmed();
    if (!allowed.match(p).hasMatch())
        return false;
    int digits = 0;
    for (QChar ch : p)
        digits += ch.isDigit() ? 1 : 0;
    return digits >= 7 && digits <= 15;
}

QString ContactDialog::validationError() const
{
    const Contact c = contact();
    if (!c.email.isEmpty() && !isValidEmail(c.email))
        return tr("“%1” is not an email address. It should look like name@example.com.").arg(c.email);
    if (!c.phone.isEmpty() && !isValidPhone(c.phone))
        return tr("“%1” is not a phone number. Use digits, with an optional + and country code.").arg(c.phone);
    if (c.firstName.isEmpty() && c.lastName.isEmpty() && c.email.isEmpty() && c.phone.isEmpty())
        return tr("Enter a name, an email address or a phone number.");
    return {};
}

void ContactDialog::accept()
{
    const QString error = validationError();
    if (!error.isEmpty()) {
        showFormError(m_ui->errorLabel, error);
        const Contact c = contact();
        if (!c.email.isEmpty() && !isValidEmail(c.email))
            m_ui->emailEdit->setFocus();
        else if (!c.phone.isEmpty() && !isValidPhone(c.phone))
            m_ui->phoneEdit->setFocus();
        else
            m_ui->firstNameEdit->setFocus();
        return;
    }
    QDialog::accept();
}

// ---- TaskDialog

TaskDialog::TaskDialog(QWidget *parent) : QDialog(parent), m_ui(std::make_unique<Ui::TaskDialog>())
{
    m_ui->setupUi(this);
    m_ui->errorLabel->hide();
    m_ui->dueEdit->setDateTime(QDateTime::currentDateTime().addDays(1));
    setWindowTitle(tr("New task"));
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &TaskDialog::accept);
}

TaskDialog::~TaskDialog() = default;

void TaskDialog::setTask(const Task &task)
{
    m_task = task;
    if (!task.id.isEmpty())
        setWindowTitle(tr("Edit task"));
    m_ui->titleEdit->setText(task.title);
    m_ui->bodyEdit->setPlainText(task.body);
    if (task.dueDate.isValid())
        m_ui->dueEdit->setDateTime(task.dueDate.toLocalTime());
    m_ui->completedCheck->setChecked(task.completed);
}

Task TaskDialog::task() const
{
    Task t = m_task;
    t.title = m_ui->titleEdit->text().trimmed();
    t.body = m_ui->bodyEdit->toPlainText().trimmed();
    t.dueDate = m_ui->dueEdit->dateTime().toUTC();
    t.completed = m_ui->completedCheck->isChecked();
    return t;
}

void TaskDialog::accept()
{
    if (m_ui->titleEdit->text().trimmed().isEmpty()) {
        showFormError(m_ui->errorLabel, tr("Give the task a title."));
        m_ui->titleEdit->setFocus();
        return;
    }
    QDialog::accept();
}

// ---- NoteDialog

NoteDialog::NoteDialog(QWidget *parent) : QDialog(parent), m_ui(std::make_unique<Ui::NoteDialog>())
{
    m_ui->setupUi(this);
    m_ui->errorLabel->hide();
    setWindowTitle(tr("New note"));
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &NoteDialog::accept);
}

NoteDialog::~NoteDialog() = default;

void NoteDialog::setNote(const Note &note)
{
    m_note = note;
    if (!note.id.isEmpty())
        setWindowTitle(tr("Edit note"));
    m_ui->bodyEdit->setPlainText(note.body);
}

Note NoteDialog::note() const
{
    Note n = m_note;
    n.body = m_ui->bodyEdit->toPlainText().trimmed();
    return n;
}

void NoteDialog::accept()
{
    if (m_ui->bodyEdit->toPlainText().trimmed().isEmpty()) {
        showFormError(m_ui->errorLabel, tr("Write the note first."));
        m_ui->bodyEdit->setFocus();
        return;
    }
    QDialog::accept();
}

} // namespace lb::gui
