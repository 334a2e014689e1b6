#pragma once

#include <QObject>
#include <QThread>
#include <QtGlobal>

// Weir's thread contracts ("GUI thread only", "worker thread only", "use it from the thread
// that created it") checked where a class states them, at its public entry points. A call
// from another thread is a data race that would surface, if ever, as a rare crash far from
// its cause; this stops Weir at the call instead, naming the function.
//
// Q_ASSERT would not do: Weir and its tests are built RelWithDebInfo, whose NDEBUG (and Qt's
// QT_NO_DEBUG) compile it out. The check costs a thread-local read and a comparison, so it
// stays on in every build; define WEIR_THREAD_CHECKS=0 to compile it out.
#ifndef WEIR_THREAD_CHECKS
#define WEIR_THREAD_CHECKS 1
#endif

#if WEIR_THREAD_CHECKS
// Fails unless the caller runs on the thread `object` lives on (QObject::thread()).
#define WEIR_ASSERT_OBJECT_THREAD(object) weirCheckObjectThread((object), Q_FUNC_INFO)
#else
#define WEIR_ASSERT_OBJECT_THREAD(object) static_cast<void>(object)
#endif

inline void weirCheckObjectThread(const QObject *object, const char *function)
{
    if (Q_UNLIKELY(object->thread() != QThread::currentThread()))
        qFatal("Weir: %s called on thread %p, but its object lives on thread %p", function,
               static_cast<void *>(QThread::currentThread()),
               static_cast<void *>(object->thread()));
}
