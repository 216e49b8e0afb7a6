//go:build !unix

package store

// LockDir is a no-op where flock is unavailable; see lock_unix.go.
func LockDir(dir string) (release func(), err error) { return func() {}, nil }
