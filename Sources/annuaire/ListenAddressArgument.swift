public import ArgumentParser
import ServerApplication

/// `--listen 127.0.0.1:3389`, `--portal-listen [::1]:8443`.
extension ListenAddress: ExpressibleByArgument {}
