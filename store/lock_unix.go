//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// LockDir takes an exclusive, non-blocking lock on dir (through the file
// .chuyenhoa.lock in it, which records the holder's pid) for as long as the
// process runs or until release is called. A second process gets an error
// naming the holder: two servers on one SQLite database would each serve
// their own in-process cache, stale for the other's writes. The kernel
// drops the lock when the holder exits, however it exits.
func LockDir(dir string) (release func(), err error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("store: create data directory: %w", err)
	}
	path := filepath.Join(dir, ".chuyenhoa.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("store: lock data directory: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			pid := strings.TrimSpace(string(holder))
			if pid == "" {
				pid = "unknown"
			}
			return nil, fmt.Errorf("store: data directory %s is in use by another chuyenhoa serve (pid %s); "+
				"one SQLite database takes one server: stop the other process, or use PostgreSQL (CHUYENHOA_DATABASE_URL) for several replicas", dir, pid)
		}
		return nil, fmt.Errorf("store: lock data directory %s: %w", dir, err)
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
