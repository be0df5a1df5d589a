import DirectoryBackend
import Foundation
import Habilitations
import Logging
import ServiceLifecycle

/// What `annuaire serve --backend URI[,URI…]` adds when the directory is external and may have
/// other front-ends and other providers (issue #19, README "Several machines"):
///
/// - the reconciler runs only while this front-end holds the lease entry (`ReconcilerLease`),
///   whatever the number of providers: several front-ends on one slapd share it too;
/// - with more than one provider, `ProviderWatch` moves the connections back to the first
///   provider of the list when it returns, and a failover or a failback asks the reconciler for a
///   whole derivation (`FullPassRequest`).
struct ReplicatedBackend {
    let lease: ReconcilerLease
    let fullPass = FullPassRequest()
    let watch: ProviderWatch?

    init(
        providers: BackendProviderList, credentials: BackendEndpoint.Credentials, store: OpenLDAPStore, layout: DirectoryLayout,
        reconcileInterval: Int, logger: Logger
    ) {
        // Three missed runs (and at least 15 s) before another front-end takes over.
        lease = ReconcilerLease(
            store: store, layout: layout, holder: ReconcilerLease.processHolder(),
            duration: TimeInterval(max(3 * reconcileInterval, 15)))
        let fullPass = self.fullPass
        watch = providers.isReplicated
            ? ProviderWatch(
                providers: providers, credentials: credentials, store: store, suffix: layout.suffix, logger: logger,
                onSwitch: { _, _ in fullPass.request() })
            : nil
    }

    /// The services to run beside the server (the provider watch, if any).
    var services: [ServiceGroupConfiguration.ServiceConfiguration] {
        guard let watch else { return [] }
        return [.init(service: watch, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore)]
    }
}
