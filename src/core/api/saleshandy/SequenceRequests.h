#pragma once

#include "api/saleshandy/SaleshandyClient.h"
#include "domain/Saleshandy.h"

// Sequences and their steps (SALESHANDY.md §4).
namespace lb::sh {

/// GET /v1/sequences: sequences with their steps ({id, name}).
class ListSequencesRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    explicit ListSequencesRequest(SaleshandyClient &client, int page = 1, int pageSize = 100,
                                  const QString &sequenceName = {}, QObject *parent = nullptr);
    [[nodiscard]] const QList<Sequence> &sequences() const { return m_sequences; }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;

private:
    QList<Sequence> m_sequences;
};

/// GET /v1/sequences/{sequenceId}/steps: the steps with number and type, to pick a target step.
class ListSequenceStepsRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    ListSequenceStepsRequest(SaleshandyClient &client, const QString &sequenceId, QObject *parent = nullptr);
    [[nodiscard]] const QList<SequenceStep> &steps() const { return m_steps; }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;

private:
    QList<SequenceStep> m_steps;
};

/// POST /v1/sequences/{sequenceId}/contacts {stepId, contactIds}: existing prospects into a step.
/// The answer's shape is unconfirmed [?]: per-contact results are read where given.
class AddToSequenceRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    AddToSequenceRequest(SaleshandyClient &client, const QString &sequenceId, const QString &stepId,
                         const QStringList &prospectIds, QObject *parent = nullptr);
    /// A prospect already in the step stays there once.
    [[nodiscard]] bool isIdempotent() const override { return true; }
    /// Prospects the answer reports as not added (with the reason), empty when all were.
    [[nodiscard]] const QList<PerProspectResult> &failures() const { return m_failures; }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;

private:
    QList<PerProspectResult> m_failures;
};

} // namespace lb::sh
