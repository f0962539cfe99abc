import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A running `s2s serve`: HTTP/1.1 on SwiftNIO in front of a `TranslationService`.
///
/// One event loop accepts and parses; each connection is served by a task that reads a whole
/// request, awaits the service and writes the reply (keep-alive, requests on one connection in
/// order). `shutdown()` stops accepting and quiesces every connection: idle ones close at once,
/// busy ones after their reply is written (NIO's `HTTPServerPipelineHandler` does this on
/// `ChannelShouldQuiesceEvent`). `wait()` returns when all connections are closed and the
/// decoding thread has finished.
package final class TranslationServer: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    /// The bound port (the system's choice when the configuration asked for 0).
    package let port: Int
    private let service: TranslationService
    private let listener: NIOAsyncChannel<Void, Never>
    private let connections: ConnectionSet
    private let group: MultiThreadedEventLoopGroup
    private let accepting = NIOLockedValueBox<Task<Void, Never>?>(nil)

    private init(port: Int, service: TranslationService, listener: NIOAsyncChannel<Void, Never>,
                 connections: ConnectionSet, group: MultiThreadedEventLoopGroup) {
        self.port = port
        self.service = service
        self.listener = listener
        self.connections = connections
        self.group = group
    }

    /// Binds, starts accepting, and starts loading the models on the decoding thread; `loaded`
    /// is called once they are loaded (nil) or failed (the error; the caller should shut down).
    package static func start(_ configuration: ServeConfiguration,
                             loaded: @escaping @Sendable (ServeStartError?) -> Void) async throws(ServeStartError) -> TranslationServer {
        guard !configuration.models.isEmpty else { throw ServeStartError("no model to serve (give --model)") }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let service = TranslationService(configuration: configuration)
        let connections = ConnectionSet()
        let limit = configuration.limits.maxBodyBytes
        let listener: NIOAsyncChannel<Void, Never>
        do {
            listener = try await ServerBootstrap(group: group)
                .serverChannelOption(ChannelOptions.backlog, value: 512)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .bind(host: configuration.host, port: configuration.port) { child in
                    child.eventLoop.makeCompletedFuture {
                        try child.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        let connection = try Connection(wrappingChannelSynchronously: child)
                        // Served from here rather than from the listener's stream: a connection
                        // accepted while the listener closes would otherwise be dropped unserved.
                        connections.add(child)
                        Task {
                            await Self.serve(connection, service: service, bodyLimit: limit)
                            connections.remove(child)
                        }
                    }
                }
        } catch {
            try? await group.shutdownGracefully()
            throw ServeStartError("cannot listen on \(configuration.host):\(configuration.port): \(error)")
        }
        let server = TranslationServer(port: listener.channel.localAddress?.port ?? configuration.port,
                                       service: service, listener: listener, connections: connections, group: group)
        server.accepting.withLockedValue { $0 = Task { await server.acceptLoop() } }
        // Only now, with the port bound: `/health` answers and `/ready` says 503 while they load.
        service.loadModels(loaded: loaded)
        return server
    }

    /// Stops accepting and lets every connection finish its current request. Connections still
    /// open after the request timeout plus 5 s are closed.
    package func shutdown() {
        listener.channel.close(promise: nil)
        connections.quiesce()
        let grace = service.configuration.limits.timeoutSeconds + 5
        Task { [connections] in
            try? await Task.sleep(for: .seconds(grace))
            connections.closeAll()
        }
    }

    /// Returns once `shutdown()` has taken effect: no connection left, the decoder stopped.
    package func wait() async {
        let task = accepting.withLockedValue { $0 }
        await task?.value
        await connections.waitUntilEmpty()
        let batcher = service.batcher
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            // `stop` blocks until the decoding thread ends; keep it off the concurrency pool.
            Thread { batcher.stop(); done.resume() }.start()
        }
        try? await group.shutdownGracefully()
    }

    /// Drains the listener's stream (each element is a connection already being served)
    /// until shutdown closes it.
    private func acceptLoop() async {
        do {
            try await listener.executeThenClose { inbound in
                for try await _ in inbound {}
            }
        } catch {
            // The listener closed under the loop (shutdown).
        }
    }

    /// Reads requests off one connection and answers each in turn.
    private static func serve(_ connection: Connection, service: TranslationService, bodyLimit: Int) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var requests = RequestAssembler(bodyLimit: bodyLimit)
                for try await part in inbound {
                    guard let request = requests.take(part) else { continue }
                    let reply = await service.reply(to: request)
                    try await outbound.write(.head(reply.responseHead(for: request)))
                    if request.head.method != .HEAD { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: reply.body)))) }
                    try await outbound.write(.end(nil))
                    if !request.keepAlive { return }
                }
            }
        } catch {
            // The client went away mid-request; nothing to answer.
        }
    }
}

/// The open connections, so that shutdown can quiesce them and wait for them.
final class ConnectionSet: Sendable {
    private struct State {
        var quiescing = false
        var channels: [ObjectIdentifier: any Channel] = [:]
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = NIOLockedValueBox(State())

    func add(_ channel: any Channel) {
        let quiescing = state.withLockedValue { s in
            s.channels[ObjectIdentifier(channel)] = channel
            return s.quiescing
        }
        if quiescing { channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
    }

    func remove(_ channel: any Channel) {
        let waiters = state.withLockedValue { s -> [CheckedContinuation<Void, Never>] in
            s.channels.removeValue(forKey: ObjectIdentifier(channel))
            guard s.channels.isEmpty else { return [] }
            defer { s.waiters.removeAll() }
            return s.waiters
        }
        for w in waiters { w.resume() }
    }

    /// Returns once no connection is open.
    func waitUntilEmpty() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let empty = state.withLockedValue { s in
                if s.channels.isEmpty { return true }
                s.waiters.append(c)
                return false
            }
            if empty { c.resume() }
        }
    }

    /// Asks every connection to close once its current request is answered (and new ones too).
    func quiesce() {
        let channels = state.withLockedValue { s in
            s.quiescing = true
            return Array(s.channels.values)
        }
        for channel in channels { channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
    }

    func closeAll() {
        for channel in state.withLockedValue({ Array($0.channels.values) }) { channel.close(promise: nil) }
    }
}
