#ifndef CLINUX_SHIM_H
#define CLINUX_SHIM_H
// Linux calls and constants that Glibc's Swift overlay does not expose (accept4 needs _GNU_SOURCE).
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>

/// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC.
int clinux_accept_nonblocking(int fd, struct sockaddr *addr, socklen_t *len);
#endif
