/*
 * The JNI bindings of org.ipc4j.posix.internal.JniCalls: the five libc calls on the message path
 * (read, write, poll, mq_timedsend, mq_timedreceive), each returning the call's result, or minus
 * errno when it failed, read at once in the calling thread.
 *
 * Built by the module's build with gcc into the jar (see pom.xml); it needs no JNI header, since
 * on Linux a JNI function is a plain C function of (JNIEnv *, jclass, arguments...), with jint a
 * 32-bit and jlong a 64-bit integer.
 */
#include <errno.h>
#include <mqueue.h>
#include <poll.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

typedef int32_t jint;
typedef int64_t jlong;

EXPORT jlong Java_org_ipc4j_posix_internal_JniCalls_read(void *env, void *cls, jint fd, jlong buffer, jlong count) {
    ssize_t n = read(fd, (void *) (intptr_t) buffer, (size_t) count);
    return n < 0 ? -errno : n;
}

EXPORT jlong Java_org_ipc4j_posix_internal_JniCalls_write(void *env, void *cls, jint fd, jlong buffer, jlong count) {
    ssize_t n = write(fd, (const void *) (intptr_t) buffer, (size_t) count);
    return n < 0 ? -errno : n;
}

EXPORT jint Java_org_ipc4j_posix_internal_JniCalls_poll(void *env, void *cls, jlong fds, jlong count, jint timeoutMillis) {
    int n = poll((struct pollfd *) (intptr_t) fds, (nfds_t) count, timeoutMillis);
    return n < 0 ? -errno : n;
}

/* absTimeout 0: no timeout (the queue's blocking mode decides) */
EXPORT jint Java_org_ipc4j_posix_internal_JniCalls_mqTimedSend(void *env, void *cls, jint mqd, jlong message,
        jlong length, jint priority, jlong absTimeout) {
    int r = mq_timedsend((mqd_t) mqd, (const char *) (intptr_t) message, (size_t) length, (unsigned) priority,
            (const struct timespec *) (intptr_t) absTimeout);
    return r < 0 ? -errno : r;
}

EXPORT jlong Java_org_ipc4j_posix_internal_JniCalls_mqTimedReceive(void *env, void *cls, jint mqd, jlong message,
        jlong length, jlong priority, jlong absTimeout) {
    ssize_t n = mq_timedreceive((mqd_t) mqd, (char *) (intptr_t) message, (size_t) length,
            (unsigned *) (intptr_t) priority, (const struct timespec *) (intptr_t) absTimeout);
    return n < 0 ? -errno : n;
}
