#include "api/saleshandy/NoteRequests.h"

#include "api/saleshandy/TaskRequests.h"
#include "domain/Json.h"

#include <QJsonArray>
#include <QJsonObject>

namespace lb::sh {

using L = QLatin1StringView;

CreateNoteRequest::CreateNoteRequest(SaleshandyClient &client, const NewNote &note, QObject *parent)
    : SaleshandyRequest(client, "POST", QStringLiteral("/v1/notes"), parent), m_prospectIds(note.prospectIds)
{
    m_body = QJsonDocument(QJsonObject{{L("content"), note.content},
                                       {L("visibility"), visibilityCode(note.visibility)},
                                       {L("prospectIds"), QJsonArray::fromStringList(note.prospectIds)}});
}

bool CreateNoteRequest::parsePayload(const QJsonValue &payload, QString *why)
{
    m_results = readPerProspectResults(payload, m_prospectIds, {"noteId", "id"});
    if (m_results.isEmpty()) {
        *why = tr("the answer says nothing about the created notes");
        return false;
    }
    return true;
}

QString CreateNoteRequest::noteId(const QString &prospectId) const
{
    for (const PerProspectResult &r : m_results)
        if (r.success && (prospectId.isEmpty() || r.prospectId == prospectId))
            return r.id;
    return {};
}

UpdateNoteRequest::UpdateNoteRequest(SaleshandyClient &client, const QString &noteId, const QString &content,
                                     std::optional<NoteVisibility> visibility, QObject *parent)
    : SaleshandyRequest(client, "PATCH", QStringLiteral("/v1/notes/") + seg(noteId), parent)
{
    m_pattern = QStringLiteral("/v1/notes/{id}");
    QJsonObject body{{L("content"), content}};
    if (visibility)
        body.insert(L("visibility"), visibilityCode(*visibility));
    m_body = QJsonDocument(body);
}

bool UpdateNoteRequest::parsePayload(const QJsonValue &payload, QString *why)
{
    m_note = ShNote::fromJson(payload.toObject());
    if (m_note.id.isEmpty()) {
        *why = tr("the updated note in the answer has no id");
        return false;
    }
    return true;
}

ListProspectNotesRequest::ListProspectNotesRequest(SaleshandyClient &client, const QString &prospectId,
                                                   int skip, int take, QObject *parent)
    : SaleshandyRequest(client, "GET",
                        QStringLiteral("/v1/prospects/") + seg(prospectId) + QStringLiteral("/notes"),
                        parent),
      m_prospectId(prospectId), m_skip(std::max(0, skip))
{
    m_pattern = QStringLiteral("/v1/prospects/{id}/notes");
    m_query.addQueryItem(QStringLiteral("skip"), QString::number(m_skip));
    m_query.addQueryItem(QStringLiteral("take"), QString::number(std::clamp(take, 1, 100)));
}

bool ListProspectNotesRequest::parsePayload(const QJsonValue &payload, QString *why)
{
    bool found = false;
    const QJsonArray list = listIn(payload, {"notes", "data"}, &found);
    if (!found) {
        *why = tr("the answer has no list of notes");
        return false;
    }
    for (const QJsonValue &v : list) {
        ShNote n = ShNote::fromJson(v.toObject());
        if (n.id.isEmpty())
            continue;
        if (n.prospectId.isEmpty())
            n.prospectId = m_prospectId;
        m_notes.append(std::move(n));
    }
    m_hasMore = json::boolean(payload.toObject().value(L("pagination")).toObject(), L("hasMore"));
    return true;
}

} // namespace lb::sh
