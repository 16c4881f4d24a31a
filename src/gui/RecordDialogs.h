#pragma once

#include "domain/Contact.h"

#include <QDialog>

#include <memory>

class QLabel;

namespace Ui {
class ContactDialog;
class TaskDialog;
class NoteDialog;
} // namespace Ui

namespace lb::gui {

/// Creates or edits a contact (ui/contactdialog.ui). Save stays refused while the email or the
/// phone number is malformed, or the contact has neither a name nor an email nor a phone.
class ContactDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactDialog)

public:
    enum class Mode { Create, Edit };

    explicit ContactDialog(Mode mode, QWidget *parent = nullptr);
    ~ContactDialog() override;

    void setContact(const Contact &contact);
    /// The contact as edited: the one given to setContact with the form's fields over it.
    [[nodiscard]] Contact contact() const;
    /// Why the form cannot be saved, in one sentence; empty when it can.
    [[nodiscard]] QString validationError() const;

    [[nodiscard]] static bool isValidEmail(const QString &email);
    /// Digits with the usual separators (+, spaces, dashes, dots, brackets), 7 to 15 digits.
    [[nodiscard]] static bool isValidPhone(const QString &phone);

    void accept() override;

private:
    std::unique_ptr<Ui::ContactDialog> m_ui;
    Mode m_mode;
    Contact m_contact;
};

/// Creates or edits a task (ui/taskdialog.ui); a title is required.
class TaskDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TaskDialog)

public:
    explicit TaskDialog(QWidget *parent = nullptr);
    ~TaskDialog() override;

    void setTask(const Task &task);
    [[nodiscard]] Task task() const;
    void accept() override;

private:
    std::unique_ptr<Ui::TaskDialog> m_ui;
    Task m_task;
};

/// Adds or edits a note (ui/notedialog.ui); the text is required.
class NoteDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NoteDialog)

public:
    explicit NoteDialog(QWidget *parent = nullptr);
    ~NoteDialog() override;

    void setNote(const Note &note);
    [[nodiscard]] Note note() const;
    void accept() override;

private:
    std::unique_ptr<Ui::NoteDialog> m_ui;
    Note m_note;
};

/// Shows `label` as an error: the palette's error-ish colour that stays readable on dark palettes.
void showFormError(QLabel *label, const QString &text);

} // namespace lb::gui
