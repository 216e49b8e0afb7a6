// Package api is the HTTP layer: Echo v4 routes, middleware, the one error
// handler and the OpenAPI document. Handlers take the caller's scope from the
// request context and call the services; they hold no business rules.
package api
