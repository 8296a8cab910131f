import CLinuxShim
import Glibc

// Constants that Glibc imports as C enums (`EPOLL_EVENTS`, `__socket_type`, `__rlimit_resource`) rather than as
// the plain integers the calls take; converted once here so call sites read like C.

/// `EPOLLIN` as the `UInt32` of `epoll_event.events`.
let EPOLLIN_BITS = EPOLLIN.rawValue
/// `EPOLLOUT` as the `UInt32` of `epoll_event.events`.
let EPOLLOUT_BITS = EPOLLOUT.rawValue
/// `EPOLLEXCLUSIVE` (Linux 4.5): wake one of the epoll instances watching the descriptor, not all.
let EPOLLEXCLUSIVE_BITS = EPOLLEXCLUSIVE.rawValue
/// `EPOLLERR`, always reported by the kernel; treated as readable and writable.
let EPOLLERR_BITS = EPOLLERR.rawValue
/// `EPOLLHUP`, always reported by the kernel; treated as readable and writable.
let EPOLLHUP_BITS = EPOLLHUP.rawValue
/// `SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC` for `socket(2)`.
let SOCK_STREAM_NONBLOCKING = Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
/// `RLIMIT_NOFILE` for `getrlimit(2)`/`setrlimit(2)`.
let RLIMIT_NOFILE_VALUE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
/// `EFD_NONBLOCK | EFD_CLOEXEC` for `eventfd(2)`.
let EFD_NONBLOCKING = Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC)
