package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// Public marks a route that needs no authentication (health, login,
// OpenAPI). Every other route names a "resource:verb" permission.
const Public = "public"

// Route is one API endpoint: its permission, its documentation and its
// handler. The route table is the single source of the router, the
// authorisation declaration and the OpenAPI document.
type Route struct {
	Method     string
	Path       string
	Permission string
	Summary    string
	Tag        string
	// Body names a schema in the OpenAPI components for the request body
	// ("" for none; "csv" for a text/csv upload).
	Body string
	// OptionalBody says the body may be left out (read as {}).
	OptionalBody bool
	// Response names the schema of a 2xx answer ("xlsx" for an Excel workbook).
	Response string
	// Query lists query parameters as name → description.
	Query map[string]string
	// Created says a successful answer is 201 Created.
	Created bool
	Handler echo.HandlerFunc
}

func (s *Server) registerRoutes() {
	e := s.Echo
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metrics.handler())
	e.GET("/api/openapi.json", s.openapi)

	s.add(Route{Method: http.MethodPost, Path: "/api/v1/auth/login", Permission: Public, Tag: "auth",
		Summary: "Sign in with username and password; answers a bearer token", Body: "LoginRequest", Response: "LoginResponse", Handler: s.login})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/auth/logout", Permission: "me:read", Tag: "auth",
		Summary: "Revoke the bearer token of this request", Handler: s.logout})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/me", Permission: "me:read", Tag: "auth",
		Summary: "The caller, its unit and roles", Response: "User", Handler: s.me})

	paging := map[string]string{"limit": "page size (1–1000, default 100)", "offset": "rows to skip"}
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/units", Permission: "unit:create", Tag: "units",
		Summary: "Create a unit under a parent (a province needs the platform admin)", Body: "NewUnit", Response: "Unit", Created: true, Handler: s.createUnit})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/units", Permission: "unit:read", Tag: "units",
		Summary:  "List the caller's subtree (or the subtree of root), paged; q matches names with or without diacritics",
		Query:    merge(paging, map[string]string{"root": "unit id whose subtree to list", "q": "name search", "kind": "province, district or ward", "code": "official code"}),
		Response: "UnitPage", Handler: s.listUnits})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/units/:id", Permission: "unit:read", Tag: "units",
		Summary: "Read one unit", Response: "Unit", Handler: s.getUnit})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/units/:id/children", Permission: "unit:read", Tag: "units",
		Summary: "List the direct children of a unit", Query: paging, Response: "UnitPage", Handler: s.listChildren})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/units/:id/subtree", Permission: "unit:read", Tag: "units",
		Summary: "List the subtree of a unit (inclusive), paged", Query: paging, Response: "UnitPage", Handler: s.listSubtree})
	s.add(Route{Method: http.MethodPatch, Path: "/api/v1/units/:id", Permission: "unit:update", Tag: "units",
		Summary: "Rename a unit", Body: "UnitUpdate", Response: "Unit", Handler: s.updateUnit})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/units/import", Permission: "unit:import", Tag: "units",
		Summary: "Import units from CSV (code,name,kind,parent_code[,unit_type]) in one transaction; any bad row refuses the file and every bad line is named",
		Body:    "csv", Response: "ImportResult", Created: true, Handler: s.importUnits})

	s.add(Route{Method: http.MethodPost, Path: "/api/v1/tenants", Permission: "tenant:create", Tag: "tenants",
		Summary: "Create a province tenant and its first province user (platform admin); with official (2025 or 2019) the province of that code in the embedded official list, created with all its districts and wards in the same transaction", Body: "NewTenant", Response: "TenantCreated", Created: true, Handler: s.createTenant})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/official/provinces", Permission: "tenant:create", Tag: "tenants",
		Summary: "The provinces of an embedded official unit list (2025: 34 provinces, two tiers; 2019: 63 provinces, three tiers), to pick a new tenant from",
		Query:   map[string]string{"list": "2025 (default) or 2019"}, Response: "OfficialProvinces", Handler: s.listOfficialProvinces})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/users", Permission: "user:create", Tag: "users",
		Summary: "Create a user at a unit inside the caller's scope, with roles", Body: "NewUser", Response: "User", Created: true, Handler: s.createUser})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/users", Permission: "user:read", Tag: "users",
		Summary: "List users inside the caller's scope", Query: merge(paging, map[string]string{"unit_id": "users of one unit", "status": "active or disabled", "q": "username contains"}),
		Response: "UserPage", Handler: s.listUsers})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/users/:id", Permission: "user:read", Tag: "users",
		Summary: "Read one user", Response: "User", Handler: s.getUser})
	s.add(Route{Method: http.MethodPatch, Path: "/api/v1/users/:id", Permission: "user:update", Tag: "users",
		Summary: "Update a user: name, status (disabling ends every session), password, roles", Body: "UserUpdate", Response: "User", Handler: s.updateUser})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/audit", Permission: "audit:read", Tag: "audit",
		Summary:  "Audit entries about objects inside the caller's scope, newest first",
		Query:    merge(paging, map[string]string{"actor_id": "user id", "object_type": "unit, user, plan, report …", "object_id": "object id", "action": "e.g. user.create", "from": "RFC 3339 or YYYY-MM-DD", "to": "RFC 3339 or YYYY-MM-DD (exclusive)"}),
		Response: "AuditPage", Handler: s.listAudit})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/audit/denials", Permission: "audit:read", Tag: "audit",
		Summary: "Refused requests (403 and 404) of the users inside the caller's scope, counted per user, hour and kind, latest first",
		Query:   map[string]string{"from": "RFC 3339 or YYYY-MM-DD", "limit": "rows (1–1000, default 100)"}, Response: "DenialList", Handler: s.deniedCounts})

	// Each capability registers its routes in its own file.
	s.registerCampaignRoutes()
	s.registerReportRoutes()
	s.registerCompareRoutes()
	s.registerExportRoutes()
	s.registerWebRoutes()
}

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// add registers r behind its authorisation check.
func (s *Server) add(r Route) {
	if r.Permission == "" {
		panic("api: route " + r.Method + " " + r.Path + " declares no permission")
	}
	s.routes = append(s.routes, r)
	h := r.Handler
	if r.Permission != Public {
		h = s.authorize(r.Permission, h)
	}
	s.Echo.Add(r.Method, r.Path, h)
}

func (s *Server) authorize(permission string, next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.opts.Authorizer == nil {
			return errForbiddenNoAuthorizer
		}
		ctx, err := s.opts.Authorizer.Authorize(c, permission)
		if ctx != nil {
			// Also on a refusal: the error handler counts it against the caller.
			c.SetRequest(c.Request().WithContext(ctx))
		}
		if err != nil {
			return err
		}
		return next(c)
	}
}
