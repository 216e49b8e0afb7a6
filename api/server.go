package api

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/uptrace/bun"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/audit"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/cache"
	"chuyenhoa/store/files"
	"chuyenhoa/store/outbox"
	"chuyenhoa/tenants"
)

// Authorizer decides whether the caller of c may use a route that declares
// permission, and returns the request context carrying the caller's scope.
// It returns EUNAUTHENTICATED or EFORBIDDEN errors; with EFORBIDDEN it also
// returns the caller's context, so that the refusal is counted against it.
type Authorizer interface {
	Authorize(c echo.Context, permission string) (context.Context, error)
}

// Check is a readiness probe of one dependency.
type Check struct {
	Name string
	Ping func(ctx context.Context) error
	// Critical makes a failure unready (503); otherwise the service
	// reports itself degraded but ready, as for Redis.
	Critical bool
}

// Options configure a Server.
type Options struct {
	DB         *bun.DB
	Logger     *slog.Logger
	Authorizer Authorizer
	Identity   *identity.Service
	Enforcer   Enforcer
	// TLS says the service is reached over HTTPS (Secure, __Host- cookies,
	// Strict-Transport-Security).
	TLS bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Real-IP headers name the client (CHUYENHOA_TRUSTED_PROXIES); from
	// any other peer those headers are ignored and the peer is the client.
	TrustedProxies []netip.Prefix
	Checks         []Check
	// BodyLimit bounds the body of the routes that receive files
	// (attachments, CSV import); FormBodyLimit every other body but
	// sign-in's, which is a few KB.
	BodyLimit     string
	FormBodyLimit string
	// BodyReadTimeout bounds how long a client may take to send a body
	// that is not an upload (DefaultBodyReadTimeout when zero).
	BodyReadTimeout time.Duration
	RequestTimeout  time.Duration
	Version         string
	Now             func() time.Time
	// DataDir holds attachments (CHUYENHOA_DATA_DIR).
	DataDir string
	// Files stores attachment contents; nil means a directory
	// "attachments" under DataDir.
	Files files.Store
	// Views caches aggregated views (Redis or in-process).
	Views *cache.Views
	// Outbox receives each write's domain events in its transaction
	// (nil: none, for tests that need no delivery).
	Outbox *outbox.Outbox
	// DenialBurst is how many refused requests of one user in an hour
	// make a burst (logged, counted); 0 means DefaultDenialBurst.
	DenialBurst int
}

// Server is the HTTP server with its services.
type Server struct {
	Echo     *echo.Echo
	web      *web.Engine
	opts     Options
	log      *slog.Logger
	units    *tenants.Units
	routes   []Route
	sessions *scs.SessionManager
	files    files.Store
	metrics  *Metrics
	draining atomic.Bool
	denials  *denialMetrics
}

// New builds the server and registers every route.
func New(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.BodyLimit == "" {
		opts.BodyLimit = "25M"
	}
	if opts.FormBodyLimit == "" {
		opts.FormBodyLimit = "1M"
	}
	if opts.BodyReadTimeout == 0 {
		opts.BodyReadTimeout = DefaultBodyReadTimeout
	}
	if opts.Views == nil {
		opts.Views = cache.NewViews(cache.NewMemory())
	}
	if opts.DataDir == "" {
		opts.DataDir = "./data"
	}
	if opts.RequestTimeout == 0 {
		opts.RequestTimeout = 30 * time.Second
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	// c.RealIP() — the audit rows' IP and the sign-in throttle's key —
	// believes forwarding headers only from the configured proxies.
	e.IPExtractor = ipExtractor(opts.TrustedProxies)
	if opts.Files == nil {
		opts.Files = files.Dir{Root: filepath.Join(opts.DataDir, "attachments")}
	}
	s := &Server{Echo: e, opts: opts, log: opts.Logger, files: opts.Files, web: web.MustNew()}
	s.units = &tenants.Units{DB: opts.DB, Now: opts.Now, Audit: s.auditUnit}
	if opts.DB != nil {
		s.sessions = newSessions(&identity.SessionStore{DB: opts.DB}, opts.TLS)
		s.sessions.ErrorFunc = s.sessionError
	}
	e.HTTPErrorHandler = s.handleError
	s.metrics = newMetrics(opts.Views, opts.DB, opts.Now, opts.Logger)
	s.denials = newDenialMetrics(s.metrics.Registry)
	e.Pre(middleware.RemoveTrailingSlash())
	e.Use(s.metrics.middleware)
	e.Use(middleware.Recover())
	// The request id is the server's own: one sent by the client would
	// land in the audit log as the id of the caller's changes.
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Request().Header.Del(echo.HeaderXRequestID)
			return next(c)
		}
	})
	e.Use(middleware.RequestID())
	e.Use(middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURIPath: true, LogMethod: true, LogLatency: true, LogRequestID: true, LogRemoteIP: true, LogRoutePath: true, LogError: true,
		HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			attrs := []slog.Attr{
				slog.String("request_id", v.RequestID), slog.String("method", v.Method), slog.String("path", v.URIPath),
				slog.String("route", v.RoutePath), slog.Int("status", v.Status), slog.Duration("latency", v.Latency), slog.String("ip", v.RemoteIP),
			}
			if v.Error != nil && v.Status >= 500 {
				attrs = append(attrs, slog.String("error", v.Error.Error()))
			}
			attrs = append(attrs, callerAttrs(c)...)
			s.log.LogAttrs(c.Request().Context(), level, "request", attrs...)
			return nil
		},
	}))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection: "0", ContentTypeNosniff: "nosniff", XFrameOptions: "DENY",
		ReferrerPolicy: "same-origin", ContentSecurityPolicy: contentSecurityPolicy,
	}))
	e.Use(s.privateAnswers)
	e.Use(s.bodyLimit())
	e.Use(refuseBadText)
	e.Use(middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{Timeout: opts.RequestTimeout}))
	s.registerRoutes()
	return s
}

// contentSecurityPolicy allows only this origin's scripts, styles and
// form targets, and no <base> that would move relative URLs elsewhere.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'"

// hsts is the Strict-Transport-Security of a service whose public URL is
// https (two years, as the HSTS preload list asks).
const hsts = "max-age=63072000; includeSubDomains"

// privateAnswers marks every answer not to be stored by browsers or shared
// caches (API answers, pages and downloads carry personal data); the
// static assets set their own caching. Over HTTPS every answer also tells
// the browser to use nothing else for this host: Echo's Secure middleware
// would send HSTS only when the request itself says it came over TLS,
// which a TLS-terminating proxy may not.
func (s *Server) privateAnswers(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set(echo.HeaderCacheControl, "no-store")
		if s.opts.TLS {
			h.Set(echo.HeaderStrictTransportSecurity, hsts)
		}
		return next(c)
	}
}

// ipExtractor returns the client address of a request: the direct peer,
// unless the peer is one of the trusted proxies, in which case the nearest
// untrusted address of X-Forwarded-For (or X-Real-IP when that header is
// absent). Echo trusts loopback, link-local and private peers by default;
// here only the configured ranges count.
func ipExtractor(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		opts = append(opts, echo.TrustIPRange(&net.IPNet{IP: net.IP(p.Addr().AsSlice()), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}))
	}
	xff, realIP := echo.ExtractIPFromXFFHeader(opts...), echo.ExtractIPFromRealIPHeader(opts...)
	return func(r *http.Request) string {
		if len(r.Header.Values(echo.HeaderXForwardedFor)) > 0 {
			return xff(r)
		}
		return realIP(r)
	}
}

// callerKey carries log attributes of the authenticated caller so that the
// request log line names the user and unit.
type callerKey struct{}

// SetCallerLog records the caller's user id and unit for the request log.
func SetCallerLog(c echo.Context, userID, unitID int64) {
	c.Set("caller_log", []slog.Attr{slog.Int64("user_id", userID), slog.Int64("unit_id", unitID)})
}

func callerAttrs(c echo.Context) []slog.Attr {
	if a, ok := c.Get("caller_log").([]slog.Attr); ok {
		return a
	}
	return nil
}

// Metrics returns the server's Prometheus registry and series.
func (s *Server) Metrics() *Metrics { return s.metrics }

// Routes returns the route table (for documentation and tests).
func (s *Server) Routes() []Route { return s.routes }

var statusOf = map[string]int{
	domain.EINVALID:         http.StatusBadRequest,
	domain.EUNAUTHENTICATED: http.StatusUnauthorized,
	domain.EFORBIDDEN:       http.StatusForbidden,
	domain.ENOTFOUND:        http.StatusNotFound,
	domain.ECONFLICT:        http.StatusConflict,
	domain.EUNPROCESSABLE:   http.StatusUnprocessableEntity,
	domain.ETOOMANY:         http.StatusTooManyRequests,
	domain.EINTERNAL:        http.StatusInternalServerError,
	domain.EUNAVAILABLE:     http.StatusServiceUnavailable,
}

var codeOfStatus = map[int]string{
	http.StatusBadRequest:            domain.EINVALID,
	http.StatusUnauthorized:          domain.EUNAUTHENTICATED,
	http.StatusForbidden:             domain.EFORBIDDEN,
	http.StatusNotFound:              domain.ENOTFOUND,
	http.StatusMethodNotAllowed:      domain.EINVALID,
	http.StatusConflict:              domain.ECONFLICT,
	http.StatusRequestEntityTooLarge: domain.EINVALID,
	http.StatusUnsupportedMediaType:  domain.EINVALID,
	http.StatusUnprocessableEntity:   domain.EUNPROCESSABLE,
	http.StatusTooManyRequests:       domain.ETOOMANY,
	http.StatusServiceUnavailable:    domain.EUNAVAILABLE,
}

// ErrorBody is the one JSON shape of every API error.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the inside of ErrorBody.
type ErrorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	Details any               `json:"details,omitempty"`
}

func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, body := s.errorBody(err, c)
	if status == http.StatusForbidden || status == http.StatusNotFound {
		s.countDenial(c, status)
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") || !acceptsHTML(c) {
		if c.Request().Method == http.MethodHead {
			c.NoContent(status)
			return
		}
		c.JSON(status, body)
		return
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(status)
		return
	}
	s.errorPage(c, status, err, body.Error.Message)
}

func (s *Server) errorBody(err error, c echo.Context) (int, ErrorBody) {
	if unavailable(err) {
		return s.unavailableBody(c, err)
	}
	var he *echo.HTTPError
	var de *domain.Error
	switch {
	case errors.As(err, &de):
		status, ok := statusOf[de.Code]
		if !ok {
			status = http.StatusInternalServerError
		}
		if status >= 500 {
			s.logInternal(c, err)
			return status, ErrorBody{ErrorDetail{Code: domain.EINTERNAL, Message: "Lỗi hệ thống (mã yêu cầu " + requestID(c) + ")"}}
		}
		return status, ErrorBody{ErrorDetail{Code: de.Code, Message: de.Message, Fields: de.Fields, Details: de.Detail}}
	case errors.As(err, &he):
		code, ok := codeOfStatus[he.Code]
		if !ok || he.Code >= 500 {
			s.logInternal(c, err)
			return http.StatusInternalServerError, ErrorBody{ErrorDetail{Code: domain.EINTERNAL, Message: "Lỗi hệ thống (mã yêu cầu " + requestID(c) + ")"}}
		}
		msg := httpMessage(he.Code)
		return he.Code, ErrorBody{ErrorDetail{Code: code, Message: msg}}
	}
	s.logInternal(c, err)
	return http.StatusInternalServerError, ErrorBody{ErrorDetail{Code: domain.EINTERNAL, Message: "Lỗi hệ thống (mã yêu cầu " + requestID(c) + ")"}}
}

func httpMessage(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Không tìm thấy"
	case http.StatusMethodNotAllowed:
		return "Phương thức không được hỗ trợ"
	case http.StatusRequestEntityTooLarge:
		return "Dữ liệu gửi lên quá lớn"
	case http.StatusUnauthorized:
		return "Cần đăng nhập"
	case http.StatusForbidden:
		return "Không có quyền"
	case http.StatusUnsupportedMediaType:
		return "Định dạng dữ liệu không được hỗ trợ"
	case http.StatusTooManyRequests:
		return "Quá nhiều yêu cầu, vui lòng thử lại sau"
	}
	return http.StatusText(status)
}

func (s *Server) logInternal(c echo.Context, err error) {
	s.log.ErrorContext(c.Request().Context(), "internal error", slog.String("request_id", requestID(c)), slog.String("error", err.Error()))
}

func requestID(c echo.Context) string {
	if id := c.Response().Header().Get(echo.HeaderXRequestID); id != "" {
		return id
	}
	return c.Request().Header.Get(echo.HeaderXRequestID)
}

func acceptsHTML(c echo.Context) bool {
	return strings.Contains(c.Request().Header.Get("Accept"), "text/html")
}

// auditUnitChange writes the audit entry of a unit change.
func auditUnitChange(ctx context.Context, tx bun.IDB, action string, u *tenants.Unit, before, after any) error {
	c := audit.Change{Action: action, ObjectType: "unit", Unit: u, Before: before, After: after}
	if u != nil {
		c.ObjectID = strconv.FormatInt(u.ID, 10)
	}
	return audit.Record(ctx, tx, c)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
