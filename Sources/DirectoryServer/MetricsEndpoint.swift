public import Logging
public import NIOCore
import NIOHTTP1
public import NIOPosix
public import ServiceLifecycle

/// A tiny HTTP/1.1 listener (RFC 9112) answering `GET /metrics` with the
/// Prometheus text exposition of `ServerMetrics` (`--metrics-listen`, off by
/// default; meant for loopback or a private network: it has no TLS and no
/// authentication). Anything else gets 404, another method 405.
public final class MetricsEndpoint: Service, Sendable {
    private let metrics: ServerMetrics
    private let host: String
    private let port: Int
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let onListening: @Sendable (SocketAddress) -> Void

    public init(
        metrics: ServerMetrics, host: String, port: Int, logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable (SocketAddress) -> Void = { _ in }
    ) {
        self.metrics = metrics
        self.host = host
        self.port = port
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.onListening = onListening
    }

    public func run() async throws {
        let metrics = self.metrics
        let channel = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(MetricsHTTPHandler(metrics: metrics))
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

    init(metrics: ServerMetrics) { self.metrics = metrics }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = Self.unwrapInboundIn(data) else { return }
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        let (status, body, contentType): (HTTPResponseStatus, String, String) = switch (request.method, path) {
        case (.GET, "/metrics"), (.HEAD, "/metrics"): (.ok, metrics.exposition(), "text/plain; version=0.0.4; charset=utf-8")
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
