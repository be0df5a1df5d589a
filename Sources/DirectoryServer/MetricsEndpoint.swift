public import Logging
public import NIOCore
import NIOHTTP1
public import NIOPosix
public import ServiceLifecycle

/// A tiny HTTP/1.1 listener (RFC 9112) answering `GET /metrics` with the
/// Prometheus text exposition of `ServerMetrics` (`--metrics-listen`, off by
/// default; meant for loopback or a private network: it has no TLS and no
/// authentication). With a `HealthCheck`, `GET /healthz` answers 200 while
/// the process runs and `GET /readyz` 200 when it can serve, else 503 with
/// the reason. Anything else gets 404, another method 405.
public final class MetricsEndpoint: Service, Sendable {
    private let metrics: ServerMetrics
    private let host: String
    private let port: Int
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let onListening: @Sendable (SocketAddress) -> Void
    private let health: HealthCheck?

    public init(
        metrics: ServerMetrics, host: String, port: Int, logger: Logger, health: HealthCheck? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable (SocketAddress) -> Void = { _ in }
    ) {
        self.metrics = metrics
        self.host = host
        self.port = port
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.onListening = onListening
        self.health = health
    }

    public func run() async throws {
        let metrics = self.metrics
        let health = self.health
        let channel = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(MetricsHTTPHandler(metrics: metrics, health: health))
                }
            }
            .bind(host: host, port: port).get()
        if let address = channel.localAddress {
            logger.info("metrics endpoint listening", metadata: ["address": "\(address)", "path": "/metrics"])
            onListening(address)
        }
        try await withTaskCancellationOrGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onCancelOrGracefulShutdown: {
            channel.close(promise: nil)
        }
    }
}

/// Answers one request at a time on a connection (no pipelining needed by scrapers).
private final class MetricsHTTPHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let metrics: ServerMetrics
    private let health: HealthCheck?

    init(metrics: ServerMetrics, health: HealthCheck?) {
        self.metrics = metrics
        self.health = health
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = Self.unwrapInboundIn(data) else { return }
        var path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        if health == nil && (path == "/healthz" || path == "/readyz") { path = "/" }  // not served without a health check
        let (status, body, contentType): (HTTPResponseStatus, String, String) = switch (request.method, path) {
        case (.GET, "/metrics"), (.HEAD, "/metrics"): (.ok, metrics.exposition(), "text/plain; version=0.0.4; charset=utf-8")
        case (.GET, "/healthz"), (.HEAD, "/healthz"): (.ok, "ok\n", "text/plain; charset=utf-8")
        case (.GET, "/readyz"), (.HEAD, "/readyz"):
            if let reason = health?.notReadyReason() {
                (.serviceUnavailable, "not ready: \(reason)\n", "text/plain; charset=utf-8")
            } else {
                (.ok, "ready\n", "text/plain; charset=utf-8")
            }
        case (.GET, _), (.HEAD, _): (.notFound, "not found: the metrics are at /metrics\n", "text/plain; charset=utf-8")
        default: (.methodNotAllowed, "only GET /metrics\n", "text/plain; charset=utf-8")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: "\(body.utf8.count)")
        if status == .methodNotAllowed { headers.add(name: "Allow", value: "GET, HEAD") }
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        }
        let done = context.writeAndFlush(Self.wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
