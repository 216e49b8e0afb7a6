package api

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"chuyenhoa/domain"
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

	get("/campaigns", "campaign:read", s.campaignsPage)
	post("/campaigns", "campaign:create", s.campaignCreate)
	get("/target-areas", "target:read", s.targetAreasPage)
	post("/target-areas/propose", "target:propose", s.targetPropose)
	post("/target-areas/approve", "target:approve", s.targetApprove)
	get("/target-areas/:id", "target:read", s.targetAreaShow)
	post("/target-areas/:id/start", "target:start", s.targetStart)
	post("/target-areas/:id/reject", "target:approve", s.targetReject)
	post("/target-areas/:id/exit-proposal", "target:exit_propose", s.targetProposeExit)
	post("/target-areas/:id/exit-decision", "target:exit_decide", s.targetDecideExit)
	get("/target-areas/:id/reports/:period", "report:read", s.reportShow)
	post("/target-areas/:id/reports/:period", "report:write", s.reportSave)
	post("/reports/:id/return", "report:review", s.reportReturn)
	post("/reports/:id/accept", "report:review", s.reportAccept)
	post("/reports/:id/assess", "report:assess", s.reportAssess)
	get("/target-areas/:id/baseline", "report:read", s.baselineShow)
	post("/target-areas/:id/baseline", "baseline:write", s.baselineSave)
	post("/target-areas/:id/plans", "plan:write", s.planCreate)
	get("/plans", "plan:read", s.plansPage)
	get("/plans/:id", "plan:read", s.planShow)
	post("/plans/:id", "plan:write", s.planHeadingSave)
	post("/plans/:id/copy", "plan:write", s.planCopy)
	post("/plans/:id/objectives", "plan:write", s.planObjectivesSave)
	post("/plans/:id/tasks", "plan:write", s.planTaskAdd)
	post("/plans/:id/submit", "plan:submit", s.planActionSubmit(domain.PlanActSubmit))
	post("/plans/:id/return", "plan:review", s.planActionSubmit(domain.PlanActReturn))
	post("/plans/:id/approve", "plan:review", s.planActionSubmit(domain.PlanActApprove))
	get("/tasks/:id", "plan:read", s.taskShow)
	post("/tasks/:id", "plan:write", s.taskSave)
	post("/tasks/:id/notes", "plan:write", s.taskNoteAdd)
	post("/tasks/:id/attachments", "attachment:write", s.taskAttach)
	get("/attachments/:id", "attachment:read", s.attachmentContent)
	get("/units/:id/committee", "committee:read", s.committeeShow)
	post("/units/:id/committee", "committee:write", s.committeeAdd)
	get("/units/:id/models", "model:read", s.modelsShow)
	post("/units/:id/models", "model:write", s.modelAdd)
	get("/review", "report:review", s.reviewQueue)
	get("/compare", "compare:read", s.comparePage)
	get("/audit", "audit:read", s.auditPage)

	get("/admin/provinces", "tenant:create", s.provincesPage)
	post("/admin/provinces", "tenant:create", s.provinceCreate)
	get("/admin/users", "user:read", s.usersPage)
	get("/admin/users/new", "user:create", s.userNew)
	post("/admin/users", "user:create", s.userCreate)
	get("/admin/users/:id", "user:update", s.userEdit)
	post("/admin/users/:id", "user:update", s.userSave)
}
