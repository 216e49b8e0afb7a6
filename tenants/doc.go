// Package tenants owns the locality tree (province → district → ward, or
// province → ward after the 2025 two-tier reform) and the caller's scope in
// the request context. A tenant is one province subtree. Every query of
// tenant-owned data goes through Scope, which fails closed: a context with
// no scope is an error, never "all rows".
package tenants
