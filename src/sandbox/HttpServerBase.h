#pragma once

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <vector>

class QHttpServerRequest;
class QTcpSocket;

namespace lb::sandbox {

/// A parsed request as the simulated services see it: no Qt HTTP server types leak past this file.
struct HttpRequest
{
    QByteArray method; ///< upper case: GET, POST, PUT, DELETE, ...
    QString path;      ///< decoded path without the query
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; ///< keys in lower case
    QByteArray body;
    QHash<QString, QString> params; ///< the {name} parts of the matched route pattern
    QString route;                  ///< the matched pattern, e.g. "GET /contacts/{contactId}"

    [[nodiscard]] QByteArray header(const QByteArray &lowerCaseName) const
    {
        return headers.value(lowerCaseName);
    }
    [[nodiscard]] QString param(const QString &name) const { return params.value(name); }
};

/// How a response leaves the server; everything but Normal simulates a broken server or network.
enum class Delivery {
    Normal,    ///< status line, headers, full body
    Cut,       ///< abort the TCP connection, no response at all
    Truncated, ///< headers announcing the full Content-Length, half the body, then close
    Never,     ///< keep the connection open and never answer
};

struct HttpResponse
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray contentType = QByteArrayLiteral("application/json");
    Delivery delivery = Delivery::Normal;
    int delayMs = 0; ///< answered from a timer, so a slow response never blocks the event loop

    [[nodiscard]] static HttpResponse json(int status, const QJsonObject &body);
    void setHeader(const QByteArray &name, const QByteArray &value);
};

/// Method + path pattern routing with `{name}` segments. A pattern matches whole segments only.
class Router final
{
public:
    using Handler = std::function<HttpResponse(const HttpRequest &)>;

    void add(const QByteArray &method, const QString &pattern, Handler handler);
    /// The handler for the request's method and path, filling `request.params` and `request.route`;
    /// nullptr when no route matches.
    [[nodiscard]] const Handler *match(HttpRequest &request) const;

private:
    struct Route
    {
        QByteArray method;
        QString pattern;
        QStringList segments;
        Handler handler;
    };
    std::vector<Route> m_routes;
};

/// The one place that knows the Qt 6.4 QAbstractHttpServer API (newer Qt changed it): it turns
/// requests into HttpRequest, hands them to a dispatcher and delivers the HttpResponse, delayed or
/// broken as asked. Keep-alive connections stay usable across delayed responses.
class HttpServerBase final : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServerBase)

public:
    using Dispatcher = std::function<HttpResponse(HttpRequest &)>;

    explicit HttpServerBase(Dispatcher dispatcher, QObject *parent = nullptr);
    ~HttpServerBase() override;

    /// Listens on 127.0.0.1 (`port` 0: any free port). Returns the port, 0 with `error` set on failure.
    [[nodiscard]] quint16 listenLocal(quint16 port, QString *error);
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QUrl baseUrl() const;
    /// Responses waiting on a timer or held forever (Delivery::Never), for tests and shutdown.
    [[nodiscard]] int pendingResponses() const { return m_pending; }
    /// TCP connections accepted so far: with keep-alive, far fewer than requests.
    [[nodiscard]] int connectionsAccepted() const { return m_connections; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    void deliver(const QHttpServerRequest &request, QTcpSocket *socket, const HttpResponse &response);

    Dispatcher m_dispatcher;
    quint16 m_port = 0;
    int m_pending = 0;
    int m_connections = 0;
};

} // namespace lb::sandbox
