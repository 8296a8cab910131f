import Dispatch
import Glibc

/// Store-writer wake-ups held back on a thread that submits many writes in a burst (an HTTP event loop), and
/// delivered together when that thread is about to wait (``deliver()``, before `epoll_wait`).
///
/// A store writer sleeps when its queue is empty; the first item submitted wakes it. On a busy machine the woken
/// writer preempts the submitting loop at once, so it commits the one request queued so far and sleeps again:
/// small group commits, two context switches per few requests. A loop that defers the wake-up lets the writer
/// commit everything the loop queued in one pass over its ready sockets.
///
/// Deferral is per thread and off by default: only a thread that called ``enableOnCurrentThread()`` defers, and
/// every blocking wait on a writer (``StoreWriter/submitAndWait(_:)``, a batch ingestion's channel and outcome) delivers the
/// calling thread's wake-ups first, so a thread never waits on a writer it did not wake.
public enum WriterWakeUpDeferral {
    /// The wake-ups one thread holds back.
    private final class Held {
        var semaphores: [DispatchSemaphore] = []
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            Unmanaged<Held>.fromOpaque(pointer).release()
        }
        return key
    }()

    /// From now on, wake-ups of store writers this thread submits to wait for ``deliver()`` on this thread.
    public static func enableOnCurrentThread() {
        guard pthread_getspecific(key) == nil else { return }
        pthread_setspecific(key, Unmanaged.passRetained(Held()).toOpaque())
    }

    /// Wakes every store writer this thread submitted to since the last delivery (none when it does not defer).
    public static func deliver() {
        guard let pointer = pthread_getspecific(key) else { return }
        let held = Unmanaged<Held>.fromOpaque(pointer).takeUnretainedValue()
        guard !held.semaphores.isEmpty else { return }
        for semaphore in held.semaphores { semaphore.signal() }
        held.semaphores.removeAll(keepingCapacity: true)
    }

    /// Holds back `semaphore`'s signal when this thread defers wake-ups; false when the caller must signal now.
    static func hold(_ semaphore: DispatchSemaphore) -> Bool {
        guard let pointer = pthread_getspecific(key) else { return false }
        Unmanaged<Held>.fromOpaque(pointer).takeUnretainedValue().semaphores.append(semaphore)
        return true
    }
}
