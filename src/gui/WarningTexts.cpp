#include "gui/WarningTexts.h"

#include <QApplication>
#include <QColor>
#include <QLocale>
#include <QStyle>

namespace lb::gui {

QList<WarningKind> WarningTexts::kinds()
{
    return {WarningKind::KeptAsWritten, WarningKind::Cut, WarningKind::LeftUnchanged, WarningKind::SentEmpty,
            WarningKind::NotSent};
}

QString WarningTexts::kindText(WarningKind kind)
{
    switch (kind) {
    case WarningKind::KeptAsWritten:
        return tr("kept as written");
    case WarningKind::Cut:
        return tr("cut");
    case WarningKind::LeftUnchanged:
        return tr("left unchanged");
    case WarningKind::SentEmpty:
        return tr("sent empty");
    case WarningKind::NotSent:
        return tr("not sent");
    }
    return {};
}

QString WarningTexts::kindCountText(WarningKind kind, int count)
{
    switch (kind) {
    case WarningKind::KeptAsWritten:
        return tr("%n value(s) kept as written", nullptr, count);
    case WarningKind::Cut:
        return tr("%n cut at the field's limit", nullptr, count);
    case WarningKind::LeftUnchanged:
        return tr("%n left unchanged in Saleshandy", nullptr, count);
    case WarningKind::SentEmpty:
        return tr("%n sent empty", nullptr, count);
    case WarningKind::NotSent:
        return tr("%n not sent", nullptr, count);
    }
    return {};
}

QString WarningTexts::targetText(const QString &target)
{
    if (target == target::TaskNote)
        return tr("Task note");
    if (target == target::Content)
        return tr("Note");
    if (target == target::DueDate)
        return tr("Due date");
    if (target == target::TaskType)
        return tr("Task type");
    if (target == target::Priority)
        return tr("Priority");
    if (target == target::Tags)
        return tr("Tags");
    return target;
}

QString WarningTexts::detailText(const FieldWarning &warning)
{
    QString why = warning.message;
    if (why.isEmpty() && !warning.value.isEmpty())
        why = tr("“%1”").arg(warning.value);
    return why.isEmpty() ? kindText(warning.kind) : tr("%1: %2").arg(kindText(warning.kind), why);
}

QString WarningTexts::fieldText(const FieldWarning &warning)
{
    return tr("%1 — %2").arg(targetText(warning.target), detailText(warning));
}

int WarningTexts::recordsWithWarnings(const QJsonObject &summary, const QString &kind)
{
    return summary.value(QStringLiteral("records"))
        .toObject()
        .value(kind)
        .toObject()
        .value(QStringLiteral("warnings"))
        .toInt();
}

int WarningTexts::fieldsWithWarning(const QJsonObject &summary, WarningKind kind)
{
    return summary.value(QStringLiteral("warningsByKind")).toObject().value(warningKindName(kind)).toInt();
}

QString WarningTexts::summaryText(const QJsonObject &summary)
{
    const int prospects = recordsWithWarnings(summary, QStringLiteral("contact"));
    const int tasks = recordsWithWarnings(summary, QStringLiteral("task"));
    const int notes = recordsWithWarnings(summary, QStringLiteral("note"));
    const QJsonObject contacts =
        summary.value(QStringLiteral("records")).toObject().value(QStringLiteral("contact")).toObject();
    const int merged = contacts.value(QStringLiteral("merged")).toInt();
    const int deleted = contacts.value(QStringLiteral("deleted")).toInt();
    QStringList sentences;
    if (prospects + tasks + notes > 0) {
        //: "3 prospects, 1 task, 0 notes sent with a warning"
        QString s = tr("%1, %2, %3 sent with a warning")
                        .arg(tr("%n prospect(s)", nullptr, prospects), tr("%n task(s)", nullptr, tasks),
                             tr("%n note(s)", nullptr, notes));
        QStringList byKind;
        for (WarningKind kind : kinds())
            if (const int n = fieldsWithWarning(summary, kind); n > 0)
                byKind << kindCountText(kind, n);
        if (!byKind.isEmpty())
            s += tr(": %1").arg(byKind.join(tr(", ")));
        sentences << s + tr(".");
    }
    if (merged > 0)
        sentences << tr("%n contact(s) merged into the prospect of a contact with the same email.", nullptr,
                        merged);
    if (deleted > 0)
        sentences << tr("%n contact(s) deleted in GHL handled as the sync rules say.", nullptr, deleted);
    return sentences.join(QLatin1Char(' '));
}

QIcon WarningTexts::icon()
{
    return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
}

QColor WarningTexts::color()
{
    return QColor(0x9a, 0x67, 0x00); // the amber of the mapping's warnings, readable on white
}

} // namespace lb::gui
