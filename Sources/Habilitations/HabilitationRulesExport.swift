/// The pure rules (`HabilitationRules`: layout, R1–R11 checks, validity, dates,
/// `AccessPolicy` for reads and `DelegationPolicy` for writes, R8) come with this
/// module: whoever runs the service also names its rules' types.
@_exported import HabilitationRules
