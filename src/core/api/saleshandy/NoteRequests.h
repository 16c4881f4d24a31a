#pragma once

#include "api/saleshandy/SaleshandyClient.h"
#include "domain/Saleshandy.h"

#include <optional>

// Notes (SALESHANDY.md §8): create, update in place, list per prospect. There is no delete.
namespace lb::sh {

struct NewNote
{
    QStringList prospectIds;
    QString content;
    NoteVisibility visibility = NoteVisibility::Team;
};

/// POST /v1/notes, answered per prospect. Not idempotent.
class CreateNoteRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    CreateNoteRequest(SaleshandyClient &client, const NewNote &note, QObject *parent = nullptr);
    [[nodiscard]] bool isIdempotent() const override { return false; }
    [[nodiscard]] const QList<PerProspectResult> &results() const { return m_results; }
    /// The id of the note created for `prospectId` (or for the only prospect), empty if none.
    [[nodiscard]] QString noteId(const QString &prospectId = {}) const;

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;

private:
    QStringList m_prospectIds;
    QList<PerProspectResult> m_results;
};

/// PATCH /v1/notes/{noteId}: new content (and visibility). Code 1001 "Note not found or access
/// denied" becomes NotFound.
class UpdateNoteRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    UpdateNoteRequest(SaleshandyClient &client, const QString &noteId, const QString &content,
                      std::optional<NoteVisibility> visibility = std::nullopt, QObject *parent = nullptr);
    [[nodiscard]] bool isIdempotent() const override { return true; }
    [[nodiscard]] const ShNote &note() const { return m_note; }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;

private:
    ShNote m_note;
};

/// GET /v1/prospects/{prospectId}/notes?skip=&take= (take at most 100).
class ListProspectNotesRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    ListProspectNotesRequest(SaleshandyClient &client, const QString &prospectId, int skip = 0,
                             int take = 100, QObject *parent = nullptr);
    [[nodiscard]] const QList<ShNote> &notes() const { return m_notes; }
    [[nodiscard]] bool hasMore() const { return m_hasMore; }
    /// The skip for the next page.
    [[nodiscard]] int nextSkip() const { return m_skip + int(m_notes.size()); }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;

private:
    QString m_prospectId;
    QList<ShNote> m_notes;
    int m_skip = 0;
    bool m_hasMore = false;
};

} // namespace lb::sh
