package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"chuyenhoa/store/storetest"
)

func TestUISignIn(t *testing.T) {
	f := mustUIFixture(t, storetest.MustSQLite(t))
	b := f.browser(t)

	t.Run("anonymous is sent to sign in", func(t *testing.T) {
		p := b.get("/")
		if got, want := p.Status, http.StatusSeeOther; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
		if !strings.HasPrefix(p.Location, "/login?next=") {
			t.Errorf("location = %q", p.Location)
		}
	})
	t.Run("form", func(t *testing.T) {
		p := b.get("/login")
		mustContain(t, p, `<html lang="vi">`, "Đăng nhập", `<label for="username">Tên đăng nhập</label>`, `<label for="password">Mật khẩu</label>`)
		if got := p.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("Cache-Control = %q", got)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		p := b.submit("/login", "/login", url.Values{"username": {"nenh"}, "password": {"sai-mat-khau"}})
		if got, want := p.Status, http.StatusUnauthorized; got != want {
			t.Errorf("status = %d, want %d", got, want)
		}
		mustContain(t, p, "Tên đăng nhập hoặc mật khẩu không đúng.", `value="nenh"`)
	})
	t.Run("next is kept on this site", func(t *testing.T) {
		p := b.submit("/login", "/login", url.Values{"username": {"nenh"}, "password": {webPassword("nenh")}, "next": {"//evil.example/"}})
		if p.Location != "/" {
			t.Errorf("location = %q, want /", p.Location)
		}
	})
	t.Run("home", func(t *testing.T) {
		p := b.get("/")
		mustContain(t, p, "Xin chào, Cán bộ nenh", "Phường Nếnh", "Cấp xã", `action="/logout"`)
	})
	t.Run("sign out", func(t *testing.T) {
		p := b.submit("/", "/logout", nil)
		if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/login") {
			t.Fatalf("logout = %d %q", p.Status, p.Location)
		}
		mustContain(t, b.get(p.Location), "Đăng nhập")
		if p := b.get("/"); p.Status != http.StatusSeeOther {
			t.Errorf("after logout / = %d, want a redirect to sign in", p.Status)
		}
	})
}

func TestWebCSRF(t *testing.T) {
	f := mustUIFixture(t, storetest.MustSQLite(t))
	b := f.browser(t)
	b.login("nenh")
	t.Run("missing token", func(t *testing.T) {
		p := b.do(http.MethodPost, "/settings", url.Values{"lang": {"en"}})
		if got, want := p.Status, http.StatusForbidden; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
		mustContain(t, p, "Không có quyền truy cập", "thiếu mã bảo vệ", "Mã yêu cầu:")
		if u, _ := f.ids.UserByID(f.root, f.users["nenh"].ID); u.Lang != "vi" {
			t.Errorf("lang = %q: the refused form changed the user", u.Lang)
		}
	})
	t.Run("wrong token", func(t *testing.T) {
		p := b.do(http.MethodPost, "/settings", url.Values{"lang": {"en"}, "_csrf": {"forged"}})
		if got, want := p.Status, http.StatusForbidden; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
	})
	t.Run("sign in needs the token too", func(t *testing.T) {
		b2 := f.browser(t)
		b2.get("/login")
		p := b2.do(http.MethodPost, "/login", url.Values{"username": {"nenh"}, "password": {webPassword("nenh")}})
		if got, want := p.Status, http.StatusForbidden; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
	})
	t.Run("with token", func(t *testing.T) {
		p := b.submit("/settings", "/settings", url.Values{"lang": {"en"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("status = %d\n%s", p.Status, p.Body)
		}
		mustContain(t, b.get("/"), `<html lang="en">`, "Hello, Cán bộ nenh", "Settings saved.")
	})
}

func TestWebScope(t *testing.T) {
	f := mustUIFixture(t, storetest.MustSQLite(t))
	b := f.browser(t)
	b.login("nenh")
	own, other := f.units["nenh"], f.units["quangchau"]
	if p := b.get("/units/" + itoa(own.ID)); p.Status != http.StatusOK {
		t.Fatalf("own ward = %d", p.Status)
	} else {
		mustContain(t, p, "Phường Nếnh", "07795")
	}
	t.Run("another ward is not found", func(t *testing.T) {
		p := b.get("/units/" + itoa(other.ID))
		if got, want := p.Status, http.StatusNotFound; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
		mustContain(t, p, "Không tìm thấy trang", "Mã yêu cầu:", p.Header.Get("X-Request-Id"))
		if strings.Contains(p.Body, "Xã Quang Châu") {
			t.Error("the 404 page names the other ward")
		}
	})
	t.Run("the district above is not found either", func(t *testing.T) {
		if p := b.get("/units/" + itoa(f.units["district"].ID)); p.Status != http.StatusNotFound {
			t.Errorf("status = %d, want 404", p.Status)
		}
	})
	t.Run("a page the role may not open is forbidden", func(t *testing.T) {
		p := b.get("/audit")
		if got, want := p.Status, http.StatusForbidden; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
		mustContain(t, p, "Không có quyền truy cập", "Mã yêu cầu:")
	})
	t.Run("an unknown page", func(t *testing.T) {
		p := b.get("/khong-co")
		if p.Status != http.StatusNotFound {
			t.Fatalf("status = %d", p.Status)
		}
		mustContain(t, p, "Không tìm thấy trang")
	})
	t.Run("the district sees both wards", func(t *testing.T) {
		d := f.browser(t)
		d.login("huyen")
		p := d.get("/units/" + itoa(f.units["district"].ID))
		mustContain(t, p, "Phường Nếnh", "Xã Quang Châu")
	})
}

func TestWebErrorPages(t *testing.T) {
	f := mustUIFixture(t, storetest.MustSQLite(t))
	b := f.browser(t)
	t.Run("api paths keep JSON", func(t *testing.T) {
		p := b.get("/api/v1/nothing")
		if ct := p.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("content type = %q", ct)
		}
	})
	t.Run("english", func(t *testing.T) {
		b.get("/login?lang=en")
		p := b.get("/khong-co")
		mustContain(t, p, `<html lang="en">`, "Page not found", "Request ID:")
	})
}

func TestWebStatic(t *testing.T) {
	f := mustUIFixture(t, storetest.MustSQLite(t))
	b := f.browser(t)
	p := b.get("/login")
	m := regexpFind(`href="(/static/app\.css\?v=[0-9a-f]+)"`, p.Body)
	if m == "" {
		t.Fatalf("no stylesheet link")
	}
	css := b.get(m)
	if css.Status != http.StatusOK || !strings.HasPrefix(css.Header.Get("Content-Type"), "text/css") {
		t.Fatalf("stylesheet = %d %s", css.Status, css.Header.Get("Content-Type"))
	}
	if !strings.Contains(css.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("Cache-Control = %q", css.Header.Get("Cache-Control"))
	}
	if got := b.get("/static/nothing.css").Status; got != http.StatusNotFound {
		t.Errorf("unknown asset = %d", got)
	}
}
