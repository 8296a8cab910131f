// A SQLite VFS that buffers the appends to a WAL file and writes them with one call.
//
// SQLite writes every WAL frame as two writes: its 24-byte header, then the page (walWriteOneFrame). A commit of
// n dirty pages is 2n `pwrite`s, and on this project's store each costs a system call plus the page-cache work of
// the (unaligned) range. This wrapper keeps contiguous appends to a WAL file in a buffer and writes it:
//  - right after the page of the frame whose header carries a commit mark (bytes 4-7 non-zero: the database
//    size after the commit), inside that `xWrite`, so a failure is reported to SQLite by the very call that
//    completes the transaction, which then fails as without buffering;
//  - before any other call on the file (read, sync, truncate, size, file control, close), so the file is
//    always seen as if written through;
//  - when a write is not contiguous with the buffer or the buffer is full (124 KiB: about 30 frames per call).
// Other connections only read frames once the commit has published them in the wal-index (after the commit
// frame's write returned), so they never see a frame still in the buffer. Files other than WALs are opened by the
// default VFS in place and never touch this code.
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "CSQLiteWAL.h"

// The unix VFS writes at most 0x1ffff bytes per call (it masks larger counts and reports SQLITE_FULL for the
// short write), as SQLite itself never writes more than one page: the buffer stays below that.
enum { BUFFER_CAPACITY = 0x1ffff & ~4095, FRAME_HEADER_SIZE = 24 };

typedef struct BufferedWAL {
    sqlite3_file base;           // pMethods: bufferedMethods
    sqlite3_file *real;          // the default VFS's file, right after this struct
    unsigned char *buffer;       // BUFFER_CAPACITY bytes, allocated on the first buffered write
    sqlite3_int64 bufferOffset;  // file offset of buffer[0]
    int bufferLength;
    int commitPending;           // the last write was a frame header with a commit mark: flush after its page
} BufferedWAL;

static sqlite3_vfs *defaultVFS;
static sqlite3_vfs batchedVFS;
static sqlite3_io_methods bufferedMethods;
static pthread_once_t registerOnce = PTHREAD_ONCE_INIT;
static int registerResult = SQLITE_OK;

static int flushBuffer(BufferedWAL *file) {
    if (file->bufferLength == 0) return SQLITE_OK;
    int length = file->bufferLength;
    file->bufferLength = 0;
    return file->real->pMethods->xWrite(file->real, file->buffer, length, file->bufferOffset);
}

static int bufferedClose(sqlite3_file *base) {
    BufferedWAL *file = (BufferedWAL *)base;
    int rc = flushBuffer(file);
    int closeRC = file->real->pMethods->xClose(file->real);
    free(file->buffer);
    file->buffer = NULL;
    return rc != SQLITE_OK ? rc : closeRC;
}

static int bufferedRead(sqlite3_file *base, void *out, int amount, sqlite3_int64 offset) {
    BufferedWAL *file = (BufferedWAL *)base;
    int rc = flushBuffer(file);
    if (rc != SQLITE_OK) return rc;
    return file->real->pMethods->xRead(file->real, out, amount, offset);
}

static int isCommitFrameHeader(const void *data, int amount) {
    if (amount != FRAME_HEADER_SIZE) return 0;
    const unsigned char *bytes = data;
    return (bytes[4] | bytes[5] | bytes[6] | bytes[7]) != 0;
}

static int bufferedWrite(sqlite3_file *base, const void *data, int amount, sqlite3_int64 offset) {
    BufferedWAL *file = (BufferedWAL *)base;
    int completesCommit = file->commitPending;
    file->commitPending = 0;
    int contiguous = file->bufferLength > 0 && offset == file->bufferOffset + file->bufferLength;
    if (file->bufferLength > 0 && (!contiguous || file->bufferLength + amount > BUFFER_CAPACITY)) {
        int rc = flushBuffer(file);
        if (rc != SQLITE_OK) return rc;
    }
    if (amount > BUFFER_CAPACITY) return file->real->pMethods->xWrite(file->real, data, amount, offset);
    if (file->buffer == NULL) {
        file->buffer = malloc(BUFFER_CAPACITY);
        if (file->buffer == NULL) return file->real->pMethods->xWrite(file->real, data, amount, offset);
    }
    if (file->bufferLength == 0) file->bufferOffset = offset;
    memcpy(file->buffer + file->bufferLength, data, (size_t)amount);
    file->bufferLength += amount;
    if (completesCommit) return flushBuffer(file);
    file->commitPending = isCommitFrameHeader(data, amount);
    return SQLITE_OK;
}

static int bufferedTruncate(sqlite3_file *base, sqlite3_int64 size) {
    BufferedWAL *file = (BufferedWAL *)base;
    int rc = flushBuffer(file);
    if (rc != SQLITE_OK) return rc;
    return file->real->pMethods->xTruncate(file->real, size);
}

static int bufferedSync(sqlite3_file *base, int flags) {
    BufferedWAL *file = (BufferedWAL *)base;
    int rc = flushBuffer(file);
    if (rc != SQLITE_OK) return rc;
    return file->real->pMethods->xSync(file->real, flags);
}

static int bufferedFileSize(sqlite3_file *base, sqlite3_int64 *size) {
    BufferedWAL *file = (BufferedWAL *)base;
    int rc = flushBuffer(file);
    if (rc != SQLITE_OK) return rc;
    return file->real->pMethods->xFileSize(file->real, size);
}

static int bufferedLock(sqlite3_file *base, int level) {
    BufferedWAL *file = (BufferedWAL *)base;
    return file->real->pMethods->xLock(file->real, level);
}

static int bufferedUnlock(sqlite3_file *base, int level) {
    BufferedWAL *file = (BufferedWAL *)base;
    return file->real->pMethods->xUnlock(file->real, level);
}

static int bufferedCheckReservedLock(sqlite3_file *base, int *result) {
    BufferedWAL *file = (BufferedWAL *)base;
    return file->real->pMethods->xCheckReservedLock(file->real, result);
}

static int bufferedFileControl(sqlite3_file *base, int op, void *argument) {
    BufferedWAL *file = (BufferedWAL *)base;
    int rc = flushBuffer(file);
    if (rc != SQLITE_OK) return rc;
    return file->real->pMethods->xFileControl(file->real, op, argument);
}

static int bufferedSectorSize(sqlite3_file *base) {
    BufferedWAL *file = (BufferedWAL *)base;
    return file->real->pMethods->xSectorSize(file->real);
}

static int bufferedDeviceCharacteristics(sqlite3_file *base) {
    BufferedWAL *file = (BufferedWAL *)base;
    return file->real->pMethods->xDeviceCharacteristics(file->real);
}

static int bufferedShmMap(sqlite3_file *base, int region, int size, int extend, void volatile **out) {
    BufferedWAL *file = (BufferedWAL *)base;
    if (file->real->pMethods->iVersion < 2) return SQLITE_IOERR_SHMMAP;
    return file->real->pMethods->xShmMap(file->real, region, size, extend, out);
}

static int bufferedShmLock(sqlite3_file *base, int offset, int count, int flags) {
    BufferedWAL *file = (BufferedWAL *)base;
    if (file->real->pMethods->iVersion < 2) return SQLITE_IOERR_SHMLOCK;
    return file->real->pMethods->xShmLock(file->real, offset, count, flags);
}

static void bufferedShmBarrier(sqlite3_file *base) {
    BufferedWAL *file = (BufferedWAL *)base;
    if (file->real->pMethods->iVersion < 2) return;
    file->real->pMethods->xShmBarrier(file->real);
}

static int bufferedShmUnmap(sqlite3_file *base, int deleteFlag) {
    BufferedWAL *file = (BufferedWAL *)base;
    if (file->real->pMethods->iVersion < 2) return SQLITE_OK;
    return file->real->pMethods->xShmUnmap(file->real, deleteFlag);
}

static int bufferedFetch(sqlite3_file *base, sqlite3_int64 offset, int amount, void **out) {
    BufferedWAL *file = (BufferedWAL *)base;
    int rc = flushBuffer(file);
    if (rc != SQLITE_OK) return rc;
    if (file->real->pMethods->iVersion < 3) {
        *out = NULL;
        return SQLITE_OK;
    }
    return file->real->pMethods->xFetch(file->real, offset, amount, out);
}

static int bufferedUnfetch(sqlite3_file *base, sqlite3_int64 offset, void *page) {
    BufferedWAL *file = (BufferedWAL *)base;
    if (file->real->pMethods->iVersion < 3) return SQLITE_OK;
    return file->real->pMethods->xUnfetch(file->real, offset, page);
}

static int batchedOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *base, int flags, int *outFlags) {
    (void)vfs;
    if ((flags & SQLITE_OPEN_WAL) == 0) {
        // Not a WAL: the default VFS's file lives at the start of the slot, with its own methods.
        return defaultVFS->xOpen(defaultVFS, name, base, flags, outFlags);
    }
    BufferedWAL *file = (BufferedWAL *)base;
    memset(file, 0, sizeof(BufferedWAL));
    file->real = (sqlite3_file *)(file + 1);
    int rc = defaultVFS->xOpen(defaultVFS, name, file->real, flags, outFlags);
    if (file->real->pMethods == NULL) {
        base->pMethods = NULL;
        return rc;
    }
    // The wrapper offers the same method version as the file it wraps.
    base->pMethods = &bufferedMethods;
    return rc;
}

static void registerVFS(void) {
    defaultVFS = sqlite3_vfs_find(NULL);
    if (defaultVFS == NULL) {
        registerResult = SQLITE_ERROR;
        return;
    }
    bufferedMethods = (sqlite3_io_methods){
        .iVersion = 3,
        .xClose = bufferedClose,
        .xRead = bufferedRead,
        .xWrite = bufferedWrite,
        .xTruncate = bufferedTruncate,
        .xSync = bufferedSync,
        .xFileSize = bufferedFileSize,
        .xLock = bufferedLock,
        .xUnlock = bufferedUnlock,
        .xCheckReservedLock = bufferedCheckReservedLock,
        .xFileControl = bufferedFileControl,
        .xSectorSize = bufferedSectorSize,
        .xDeviceCharacteristics = bufferedDeviceCharacteristics,
        .xShmMap = bufferedShmMap,
        .xShmLock = bufferedShmLock,
        .xShmBarrier = bufferedShmBarrier,
        .xShmUnmap = bufferedShmUnmap,
        .xFetch = bufferedFetch,
        .xUnfetch = bufferedUnfetch,
    };
    batchedVFS = *defaultVFS;
    batchedVFS.pNext = NULL;
    batchedVFS.zName = CSQLITEWAL_VFS_NAME;
    batchedVFS.szOsFile = (int)sizeof(BufferedWAL) + defaultVFS->szOsFile;
    batchedVFS.xOpen = batchedOpen;
    registerResult = sqlite3_vfs_register(&batchedVFS, 0);
}

int csqlitewal_register(void) {
    pthread_once(&registerOnce, registerVFS);
    return registerResult;
}
