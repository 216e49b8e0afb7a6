package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/authz"
	"chuyenhoa/authz/audit"
	"chuyenhoa/authz/identity"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

// TestAPISignIn covers the bearer-token life cycle through the API: login,
// the same refusal for an unknown user and a wrong password, logout, and a
// disabled user's tokens ending at their next request.
func TestAPISignIn(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		s := newTestServer(t, db)
		admin := s.mustAdmin(t, "quantri")
		p := s.mustChild(t, nil, tenants.KindProvince, "S")
		u := s.mustUser(t, "can-bo-tinh", p, authz.RoleProvince)

		c, res := s.login(t, u.Username, testPassword(u.Username))
		if res.Status != http.StatusOK || len(c.Token) < 40 {
			t.Fatalf("login = %d, token %d chars", res.Status, len(c.Token))
		}
		if strings.Contains(string(res.Body), "password") || strings.Contains(string(res.Body), "$argon2id$") {
			t.Errorf("login answer shows a password hash: %s", res.Body)
		}
		var me identity.User
		c.serveJSON(t, "GET", "/api/v1/me", nil, http.StatusOK, &me)
		if me.ID != u.ID || me.Unit == nil || me.Unit.ID != p.ID || len(me.Roles) != 1 || me.Roles[0] != authz.RoleProvince {
			t.Errorf("me = %+v", me)
		}

		_, wrong := s.login(t, u.Username, "mật khẩu sai hoàn toàn")
		_, unknown := s.login(t, "khong-co-ai", "mật khẩu sai hoàn toàn")
		mustError(t, wrong, http.StatusUnauthorized, "unauthenticated")
		if string(wrong.Body) != string(unknown.Body) || wrong.Status != unknown.Status {
			t.Errorf("wrong password %d %s, unknown user %d %s: want the same answer", wrong.Status, wrong.Body, unknown.Status, unknown.Body)
		}

		// The request id in the audit log is the server's, not the client's.
		req := c.request(t, "PATCH", "http://chuyenhoa.test/api/v1/units/"+itoa(p.ID), "application/json", strings.NewReader(`{"name":"Tỉnh S mới"}`))
		req.Header.Set("X-Request-Id", "forged-id")
		rec := httptest.NewRecorder()
		s.Srv.Echo.ServeHTTP(rec, req)
		if rid := rec.Header().Get("X-Request-Id"); rec.Code != http.StatusOK || rid == "forged-id" || rid == "" {
			t.Errorf("PATCH with a client request id = %d, X-Request-Id %q", rec.Code, rid)
		}
		if n, err := db.NewSelect().Model((*audit.Entry)(nil)).Where("request_id = ?", "forged-id").Count(s.Root); err != nil || n != 0 {
			t.Errorf("%d audit entries carry the client's request id (%v)", n, err)
		}

		// Logout revokes this token only.
		other, _ := s.login(t, u.Username, testPassword(u.Username))
		c.serveJSON(t, "POST", "/api/v1/auth/logout", nil, http.StatusNoContent, nil)
		c.serveJSON(t, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil)
		other.serveJSON(t, "GET", "/api/v1/me", nil, http.StatusOK, nil)

		// Disabling ends every token at the next request; enabling again
		// does not bring them back.
		admin.serveJSON(t, "PATCH", "/api/v1/users/"+itoa(u.ID), map[string]string{"status": "disabled"}, http.StatusOK, nil)
		other.serveJSON(t, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil)
		if _, res := s.login(t, u.Username, testPassword(u.Username)); res.Status != http.StatusUnauthorized || string(res.Body) != string(wrong.Body) {
			t.Errorf("disabled user login = %d %s, want the wrong-password answer", res.Status, res.Body)
		}
		admin.serveJSON(t, "PATCH", "/api/v1/users/"+itoa(u.ID), map[string]string{"status": "active"}, http.StatusOK, nil)
		other.serveJSON(t, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil)
		s.mustLogin(t, u).serveJSON(t, "GET", "/api/v1/me", nil, http.StatusOK, nil)

		// A changed password also ends the old tokens.
		again := s.mustLogin(t, u)
		admin.serveJSON(t, "PATCH", "/api/v1/users/"+itoa(u.ID), map[string]string{"password": "một mật khẩu mới đủ dài"}, http.StatusOK, nil)
		again.serveJSON(t, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil)
	})
}
