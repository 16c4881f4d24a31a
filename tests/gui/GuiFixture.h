#pragma once
// A sandboxed GHL with a filled local store and a ContactService over both, for the GUI tests:
// the real client over HTTP on 127.0.0.1, the real store in a temporary SQLite file.

#include "api/ghl/GhlClient.h"
#include "net/TokenProvider.h"
#include "sandbox/GhlService.h"
#include "sandbox/Sandbox.h"
#include "services/ContactService.h"
#include "store/ContactStore.h"
#include "store/Database.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

struct GuiFixture
{
    /// `tweak` adjusts the sandbox before it starts (e.g. Saleshandy's rate for sync tests).
    explicit GuiFixture(int contacts = 120,
                        const std::function<void(lb::sandbox::SandboxOptions &)> &tweak = {})
    {
        lb::sandbox::SandboxOptions o;
        o.contacts = contacts;
        o.ghlBurstMax = 100000; // quick; the limits are tested elsewhere
        if (tweak)
            tweak(o);
        box = std::make_unique<lb::sandbox::Sandbox>(o);
        QString error;
        if (!dir.isValid() || !box->start(&error)) {
            qWarning() << "sandbox:" << error;
            return;
        }
        db = lb::Database::open(dir.filePath(QStringLiteral("store.db")), &error);
        if (!db) {
            qWarning() << "database:" << error;
            return;
        }
        store = std::make_unique<lb::ContactStore>(*db);
        tokens = std::make_unique<lb::StaticTokenProvider>(box->options().ghlToken);
        client = std::make_unique<lb::ghl::GhlClient>(box->ghlUrl(), box->options().locationId);
        client->setTokenProvider(tokens.get());
        client->retryPolicy().backoffBaseMs = 10; // failures under test come quickly
        client->retryPolicy().maxAttempts = 2;
        service = std::make_unique<lb::ContactService>(*client, *store);
        ok = true;
    }

    /// Fills the store from the sandbox (a full pull).
    bool pull()
    {
        QSignalSpy finished(service.get(), &lb::ContactService::pullFinished);
        lb::PullOptions options;
        options.full = true;
        if (!service->startPull(options))
            return false;
        if (finished.isEmpty() && !finished.wait(60000))
            return false;
        return finished.constFirst().at(0).value<lb::ApiError>().isOk();
    }

    [[nodiscard]] QString location() const { return box->options().locationId; }

    int storedCount(const QString &search = {})
    {
        lb::ContactQuery q;
        q.locationId = location();
        q.search = search;
        return store->countContacts(q);
    }

    /// A stored contact that has at least `tasks` tasks.
    QString contactWithTasks(int tasks = 1)
    {
        lb::ContactQuery q;
        q.locationId = location();
        q.limit = 0;
        for (const lb::Contact &c : store->contacts(q)) {
            if (store->tasks(c.id).size() >= tasks)
                return c.id;
        }
        return {};
    }

    QTemporaryDir dir;
    std::unique_ptr<lb::sandbox::Sandbox> box;
    std::unique_ptr<lb::Database> db;
    std::unique_ptr<lb::ContactStore> store;
    std::unique_ptr<lb::TokenProvider> tokens;
    std::unique_ptr<lb::ghl::GhlClient> client;
    std::unique_ptr<lb::ContactService> service;
    bool ok = false;
};
