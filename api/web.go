package api

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// registerWebRoutes registers the server-rendered pages. Each is its own
// route with the session, CSRF and user middleware (not a Group: a group
// at "" would also catch every unknown /api path) and, through requireWeb,
// the same "resource:verb" permission the JSON API declares.
func (s *Server) registerWebRoutes() {
	e := s.Echo
	e.GET("/static/:name", s.staticFile)
	if s.opts.Identity == nil || s.sessions == nil {
		return
	}
	mw := append([]echo.MiddlewareFunc{middleware.GzipWithConfig(middleware.GzipConfig{Level: 5, MinLength: 1024})}, s.webMiddleware()...)
	get := func(path, perm string, h echo.HandlerFunc) { e.GET(path, s.requireWeb(perm, h), mw...) }
	post := func(path, perm string, h echo.HandlerFunc) { e.POST(path, s.requireWeb(perm, h), mw...) }

	e.GET("/login", s.loginPage, mw...)
	e.POST("/login", s.loginSubmit, mw...)
	post("/logout", Public, s.logoutSubmit)
	get("/", Public, s.homePage)
	get("/settings", "me:read", s.settingsPage)
	post("/settings", "me:read", s.settingsSave)

	get("/units/:id", "unit:read", s.unitShow)
	get("/audit", "audit:read", s.auditPage)

	get("/admin/provinces", "tenant:create", s.provincesPage)
	post("/admin/provinces", "tenant:create", s.provinceCreate)
	get("/admin/users", "user:read", s.usersPage)
	get("/admin/users/new", "user:create", s.userNew)
	post("/admin/users", "user:create", s.userCreate)
	get("/admin/users/:id", "user:update", s.userEdit)
	post("/admin/users/:id", "user:update", s.userSave)
}
