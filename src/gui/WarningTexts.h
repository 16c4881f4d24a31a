#pragma once

#include "domain/FieldMapping.h"

#include <QCoreApplication>
#include <QIcon>
#include <QJsonObject>
#include <QString>

class QColor;

namespace lb::gui {

/// How every page words a field warning (a value not sent exactly as GHL has it), so the mapping
/// preview, the dry run, the dashboard and the log say the same thing the same way. Warnings are
/// amber with a warning icon; errors (a record not sent) stay red.
class WarningTexts final
{
    Q_DECLARE_TR_FUNCTIONS(WarningTexts)

public:
    /// "kept as written", "cut", "left unchanged", "sent empty", "not sent".
    [[nodiscard]] static QString kindText(WarningKind kind);
    /// "5 values kept as written", "3 cut", ...: how many fields had a warning of `kind`.
    [[nodiscard]] static QString kindCountText(WarningKind kind, int count);
    /// A target as a person reads it: "taskNote" → "Task note", "content" → "Note", labels as they are.
    [[nodiscard]] static QString targetText(const QString &target);
    /// "kept as written: '030 123' could not be converted" (the kind, then the message or value).
    [[nodiscard]] static QString detailText(const FieldWarning &warning);
    /// "Phone Number — kept as written: '030 123' could not be converted".
    [[nodiscard]] static QString fieldText(const FieldWarning &warning);
    /// The run summary's warnings (`records.<kind>.warnings`, `warningsByKind`, merged and deleted
    /// contacts) in two sentences; empty when the run had none. Absent keys count as 0.
    [[nodiscard]] static QString summaryText(const QJsonObject &summary);
    /// Records of `kind` ("contact", "task", "note") written with at least one warning.
    [[nodiscard]] static int recordsWithWarnings(const QJsonObject &summary, const QString &kind);
    /// Fields with a warning of `kind` in the run.
    [[nodiscard]] static int fieldsWithWarning(const QJsonObject &summary, WarningKind kind);

    [[nodiscard]] static QIcon icon();
    [[nodiscard]] static QColor color();
    /// All kinds, in the order the pages list them.
    [[nodiscard]] static QList<WarningKind> kinds();
};

} // namespace lb::gui
