#pragma once

#include "domain/FieldMapping.h"

#include <QWidget>

#include <memory>

namespace Ui {
class SyncRulesForm;
}

namespace lb::gui {

/// The choices of a mapping that are not field rules (SyncPolicy): whose fields and tags a prospect
/// of contacts sharing an email gets, what a deletion in GHL does to a note and a prospect, and the
/// country of phone numbers written without a calling code. Edits come out as policyEdited; the
/// Mapping page makes each one an undoable step.
class SyncRulesForm final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyncRulesForm)

public:
    explicit SyncRulesForm(QWidget *parent = nullptr);
    ~SyncRulesForm() override;

    /// Shows `policy` without emitting policyEdited.
    void setPolicy(const lb::SyncPolicy &policy);
    /// The policy as the controls show it.
    [[nodiscard]] lb::SyncPolicy policy() const;

    /// ISO 3166-1 alpha-2 codes with their names (QLocale's), sorted by name.
    [[nodiscard]] static QList<std::pair<QString, QString>> countries();

Q_SIGNALS:
    void policyEdited(const lb::SyncPolicy &policy);

protected:
    void changeEvent(QEvent *event) override;

private:
    void fillChoices();
    void emitEdited();

    std::unique_ptr<Ui::SyncRulesForm> m_ui;
    lb::SyncPolicy m_policy;
    bool m_updating = false;
};

} // namespace lb::gui
