package storetest

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// TCPProxy forwards a loopback port to a server (PostgreSQL, Redis), so
// that a test can take it away (down: connections refused and cut) or black-hole it
// (connections accepted, nothing answered) under a running server, as a
// stopped or unreachable server would.
type TCPProxy struct {
	t      testing.TB
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
	hole   bool
	frozen atomic.Bool
}

// NewTCPProxy listens on a free loopback port and forwards to target.
func NewTCPProxy(t testing.TB, target string) *TCPProxy {
	t.Helper()
	p := &TCPProxy{t: t, target: target, addr: "127.0.0.1:0"}
	p.Up()
	t.Cleanup(p.Down)
	return p
}

// Up listens (again, on the same port) and forwards every connection.
func (p *TCPProxy) Up() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hole = false
	p.frozen.Store(false)
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.ln, p.addr = ln, ln.Addr().String()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			p.conns = append(p.conns, c)
			hole := p.hole
			p.mu.Unlock()
			if hole {
				go io.Copy(io.Discard, c)
				continue
			}
			u, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, u)
			p.mu.Unlock()
			go func() { p.pipe(u, c); u.Close() }()
			go func() { p.pipe(c, u); c.Close() }()
		}
	}()
}

// pipe copies src to dst, dropping the bytes while the proxy is frozen.
func (p *TCPProxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !p.frozen.Load() {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Freeze keeps every connection open and drops whatever passes: a
// statement sent on a pooled connection never gets an answer.
func (p *TCPProxy) Freeze() { p.frozen.Store(true) }

// Down stops listening and cuts every connection: connection refused.
func (p *TCPProxy) Down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// Blackhole keeps accepting and keeps the client side of every connection
// open, but nothing reaches the server any more and nothing comes back.
func (p *TCPProxy) Blackhole() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hole = true
	var keep []net.Conn
	for _, c := range p.conns {
		if c.RemoteAddr().String() == p.target {
			c.Close() // the upstream half: answers stop
		} else {
			keep = append(keep, c)
		}
	}
	p.conns = keep
}

// Addr is the proxy's host:port.
func (p *TCPProxy) Addr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.addr
}
