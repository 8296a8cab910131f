import Dispatch
import Foundation
import Glibc
import Synchronization
import Testing

/// The raw-socket test client itself: a refused connect must close its socket exactly once. A second
/// close lands on whatever descriptor the number was given to meanwhile, in a process where other tests
/// run servers: their event loop then sees EBADF and stops the process on its "bug in the server" check.
struct HTTPTestClientTests {
    @Test func refusedConnectsNeverCloseADescriptorOwnedByAnotherThread() throws {
        let refusing = try RefusingPort()
        defer { refusing.close() }
        let holder = DescriptorHolder()
        holder.start()
        var refused = 0
        for _ in 0..<3000 where HTTPTestClient.isRefused(port: refusing.port) {
            refused += 1
        }
        let lost = holder.stop()
        #expect(refused == 3000)
        #expect(holder.checkedDescriptors > 0)
        #expect(lost == 0, "descriptors of the holder thread were closed by the test client")
    }
}

/// A port bound on 127.0.0.1 but not listening: connecting to it is refused, and no server can take it.
private struct RefusingPort {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPTestClientError(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 ? getsockname(fd, $0, &length) : -1
            }
        }
        guard bound == 0 else {
            let code = errno
            Glibc.close(fd)
            throw HTTPTestClientError(description: "bind: errno \(code)")
        }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        Glibc.close(fd)
    }
}

/// A thread that keeps opening `/dev/null`, checking the descriptor is still open and closing it, and
/// counts the ones another thread closed under it (EBADF on its own descriptor).
private final class DescriptorHolder: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let lost = Atomic<Int>(0)
    private let checked = Atomic<Int>(0)
    private let finished = DispatchSemaphore(value: 0)

    /// Descriptors opened and checked so far.
    var checkedDescriptors: Int { checked.load(ordering: .relaxed) }

    func start() {
        let thread = Thread { [self] in
            while !stopping.load(ordering: .relaxed) {
                let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { continue }
                checked.wrappingAdd(1, ordering: .relaxed)
                var closedUnderUs = false
                for _ in 0..<16 where fcntl(fd, F_GETFD) < 0 && errno == EBADF {
                    closedUnderUs = true
                    break
                }
                if closedUnderUs || (Glibc.close(fd) != 0 && errno == EBADF) {
                    lost.wrappingAdd(1, ordering: .relaxed)
                }
            }
            finished.signal()
        }
        thread.start()
    }

    /// Stops the thread, waits for it, and returns how many of its descriptors were lost.
    func stop() -> Int {
        stopping.store(true, ordering: .relaxed)
        finished.wait()
        return lost.load(ordering: .relaxed)
    }
}
