#include "sandbox/HttpServerBase.h"

#include <QCoreApplication>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace lb::sandbox {

HttpResponse HttpResponse::json(int status, const QJsonObject &body)
{
    HttpResponse r;
    r.status = status;
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return r;
}

void HttpResponse::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
            h.second = value;
            return;
        }
    }
    headers.append({name, value});
}

void Router::add(const QByteArray &method, const QString &pattern, Handler handler)
{
    m_routes.push_back({method, pattern, pattern.split(QLatin1Char('/'), Qt::SkipEmptyParts),
                        std::move(handler)});
}

const Router::Handler *Router::match(HttpRequest &request) const
{
    const QStringList parts = request.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (const Route &route : m_routes) {
        if (route.method != request.method || route.segments.size() != parts.size())
            continue;
        QHash<QString, QString> params;
        bool ok = true;
        for (qsizetype i = 0; i < parts.size() && ok; ++i) {
            const QString &seg = route.segments.at(i);
            if (seg.startsWith(QLatin1Char('{')) && seg.endsWith(QLatin1Char('}')))
                params.insert(seg.mid(1, seg.size() - 2), parts.at(i));
            else
                ok = seg == parts.at(i);
        }
        if (ok) {
            request.params = std::move(params);
            request.route = QString::fromLatin1(route.method) + QLatin1Char(' ') + route.pattern;
            return &route.handler;
        }
    }
    return nullptr;
}

HttpServerBase::HttpServerBase(Dispatcher dispatcher, QObject *parent)
    : QAbstractHttpServer(parent), m_dispatcher(std::move(dispatcher))
{
}

HttpServerBase::~HttpServerBase() = default;

quint16 HttpServerBase::listenLocal(quint16 port, QString *error)
{
    m_port = listen(QHostAddress::LocalHost, port);
    for (QTcpServer *server : servers())
        connect(server, &QTcpServer::newConnection, this, [this] { ++m_connections; });
    if (m_port == 0 && error)
        *error = QCoreApplication::translate("lb::sandbox::HttpServerBase",
                                             "Cannot listen on 127.0.0.1:%1 (is the port in use?)")
                     .arg(port);
    return m_port;
}

QUrl HttpServerBase::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_port);
    return url;
}

static QByteArray methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get: return QByteArrayLiteral("GET");
    case QHttpServerRequest::Method::Put: return QByteArrayLiteral("PUT");
    case QHttpServerRequest::Method::Delete: return QByteArrayLiteral("DELETE");
    case QHttpServerRequest::Method::Post: return QByteArrayLiteral("POST");
    case QHttpServerRequest::Method::Head: return QByteArrayLiteral("HEAD");
    case QHttpServerRequest::Method::Options: return QByteArrayLiteral("OPTIONS");
    case QHttpServerRequest::Method::Patch: return QByteArrayLiteral("PATCH");
    default: return QByteArrayLiteral("UNKNOWN");
    }
}

bool HttpServerBase::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    HttpRequest r;
    r.method = methodName(request.method());
    r.path = request.url().path();
    r.query = request.query();
    r.body = request.body();
    for (const auto &h : request.headers())
        r.headers.insert(h.first.toLower(), h.second);
    const HttpResponse response = m_dispatcher(r);
    if (response.delayMs <= 0) {
        deliver(request, socket, response);
        return true;
    }
    // Delayed: the request object lives as long as its socket, and QNetworkAccessManager never
    // pipelines, so it still describes this request when the timer fires. Guard the socket with a
    // QPointer because the client may give up and disconnect first (Qt then deletes the socket).
    ++m_pending;
    QPointer<QTcpSocket> guard(socket);
    const QHttpServerRequest *req = &request;
    QTimer::singleShot(response.delayMs, this, [this, guard, req, response] {
        --m_pending;
        if (guard && guard->state() == QAbstractSocket::ConnectedState) {
            HttpResponse now = response;
            now.delayMs = 0;
            deliver(*req, guard, now);
        }
    });
    return true;
}

void HttpServerBase::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Not reached: the dispatcher answers every request, unknown paths with GHL's 404 shape.
    auto responder = makeResponder(request, socket);
    responder.write(QHttpServerResponder::StatusCode::NotFound);
}

void HttpServerBase::deliver(const QHttpServerRequest &request, QTcpSocket *socket,
                             const HttpResponse &response)
{
    switch (response.delivery) {
    case Delivery::Cut:
        socket->abort();
        return;
    case Delivery::Never:
        // Held open until the client gives up; Qt deletes the socket when it disconnects.
        return;
    case Delivery::Truncated: {
        // Raw HTTP: the responder cannot announce more bytes than it writes.
        QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + " OK\r\n";
        head += "Content-Type: " + response.contentType + "\r\n";
        for (const auto &h : response.headers)
            head += h.first + ": " + h.second + "\r\n";
        head += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n\r\n";
        socket->write(head);
        socket->write(response.body.left(response.body.size() / 2));
        socket->flush();
        socket->disconnectFromHost(); // after the buffered bytes are written
        return;
    }
    case Delivery::Normal:
        break;
    }
    auto responder = makeResponder(request, socket);
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(response.status));
    responder.writeHeader(QByteArrayLiteral("Content-Type"), response.contentType);
    responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(response.body.size()));
    for (const auto &h : response.headers)
        responder.writeHeader(h.first, h.second);
    responder.writeBody(response.body);
}

} // namespace lb::sandbox
