/// Which readiness a descriptor is watched for.
struct PollInterest: OptionSet, Equatable {
    let rawValue: UInt8
    /// Data (or a connection, or EOF) can be read.
    static let read = PollInterest(rawValue: 1)
    /// The send buffer has room.
    static let write = PollInterest(rawValue: 2)
    /// Registration only (not for `modify`): of the pollers watching this descriptor, one waiting poller wakes
    /// per event (`EPOLLEXCLUSIVE`), so one shared listener does not wake every loop for each connection.
    static let exclusive = PollInterest(rawValue: 4)
}

/// One readiness report. Errors and hang-ups are reported as readable and writable, as redis `ae` does,
/// so the connection's own read or write finds the error: one error path.
struct PollEvent {
    /// The descriptor that is ready.
    let fd: Int32
    /// A read will not block (data, EOF or an error is there).
    let readable: Bool
    /// A write will not block (room, or an error is there).
    let writable: Bool
}

/// The readiness backend of an event loop (FlyingFox's `EventQueue`, redis's `ae_*.c`): level-triggered.
///
/// Loop-confined: one instance per loop, used only from the loop's thread.
protocol Poller: AnyObject {
    /// Starts watching `fd` for `interest`.
    func register(_ fd: Int32, interest: PollInterest) throws(SyscallError)
    /// Changes what `fd` is watched for.
    func modify(_ fd: Int32, interest: PollInterest) throws(SyscallError)
    /// Stops watching `fd`; call before closing it.
    func deregister(_ fd: Int32)
    /// Blocks up to `timeoutMilliseconds` (-1 forever, 0 not at all) and calls `body` for each ready descriptor.
    func poll(timeoutMilliseconds: Int32, _ body: (PollEvent) -> Void) throws(SyscallError)
    /// Releases the backend's own descriptor.
    func close()
}
