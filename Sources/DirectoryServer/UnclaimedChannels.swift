import LDAPProtocol
import NIOConcurrencyHelpers
import NIOCore

/// Connections the listener accepted but no session has taken yet. When the
/// server stops, the listener's stream can end with some still in flight;
/// NIO requires every `NIOAsyncChannel` to be finished, so these are closed
/// here instead of being dropped.
final class UnclaimedChannels: Sendable {
    private let channels = NIOLockedValueBox<[ObjectIdentifier: NIOAsyncChannel<LDAPMessage, LDAPMessage>]>([:])

    func add(_ channel: NIOAsyncChannel<LDAPMessage, LDAPMessage>) {
        channels.withLockedValue { $0[ObjectIdentifier(channel.channel)] = channel }
    }

    func remove(_ channel: NIOAsyncChannel<LDAPMessage, LDAPMessage>) {
        _ = channels.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(channel.channel)) }
    }

    func closeAll() async {
        let left = channels.withLockedValue { channels in
            defer { channels = [:] }
            return Array(channels.values)
        }
        for channel in left {
            try? await channel.executeThenClose { _, _ in }
        }
    }
}
