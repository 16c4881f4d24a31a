#pragma once

#include <QStyledItemDelegate>

namespace lb::gui {

/// Shows QDateTime values in the locale's short format, in local time, and a dash for none.
/// (QStyledItemDelegate would print seconds and leave missing dates blank, which reads as a glitch.)
class DateTimeDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DateTimeDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    [[nodiscard]] QString displayText(const QVariant &value, const QLocale &locale) const override;
};

/// "just now", "5 minutes ago", "3 days ago"; "never" for 0. For staleness labels.
[[nodiscard]] QString relativeAge(qint64 epochMs, qint64 nowMs);

} // namespace lb::gui
