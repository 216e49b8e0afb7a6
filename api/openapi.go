package api

import (
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/xlsx"
	"chuyenhoa/authz/audit"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/tenants"
)

// schemaTypes maps OpenAPI component names to the Go types whose JSON form
// they describe; schemas are derived by reflection so they follow the code.
func schemaTypes() map[string]any {
	out := map[string]any{}
	for _, m := range []map[string]any{coreSchemas(), campaignSchemas(), reportSchemas(), compareSchemas()} {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func coreSchemas() map[string]any {
	return map[string]any{
		"Unit":              tenants.Unit{},
		"NewUnit":           tenants.NewUnit{},
		"UnitUpdate":        tenants.UnitUpdate{},
		"UnitPage":          Page[tenants.Unit]{},
		"ImportResult":      tenants.ImportResult{},
		"Error":             ErrorBody{},
		"LoginRequest":      LoginRequest{},
		"LoginResponse":     LoginResponse{},
		"User":              identity.User{},
		"NewUser":           identity.NewUser{},
		"UserUpdate":        identity.UserUpdate{},
		"UserPage":          Page[identity.User]{},
		"NewTenant":         NewTenant{},
		"TenantCreated":     TenantCreated{},
		"OfficialProvinces": OfficialProvinces{},
		"AuditPage":         Page[audit.Entry]{},
		"DenialList":        List[audit.Denials]{},
	}
}

var pathParam = regexp.MustCompile(`:([a-zA-Z_]+)`)

// OpenAPI builds the OpenAPI 3 document from the route table.
func (s *Server) OpenAPI() map[string]any {
	paths := map[string]map[string]any{}
	for _, r := range s.routes {
		p := pathParam.ReplaceAllString(r.Path, "{$1}")
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		op := map[string]any{
			"summary":      r.Summary,
			"operationId":  operationID(r),
			"tags":         []string{r.Tag},
			"x-permission": r.Permission,
		}
		var params []map[string]any
		for _, m := range pathParam.FindAllStringSubmatch(r.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": schemaOf(m[1])})
		}
		names := make([]string, 0, len(r.Query))
		for k := range r.Query {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			params = append(params, map[string]any{"name": k, "in": "query", "description": r.Query[k], "schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		switch r.Body {
		case "":
		case "csv":
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"text/csv":            map[string]any{"schema": map[string]any{"type": "string"}},
				"multipart/form-data": map[string]any{"schema": map[string]any{"type": "object", "properties": map[string]any{"file": map[string]any{"type": "string", "format": "binary"}}}},
			}}
		case "multipart":
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"multipart/form-data": map[string]any{"schema": map[string]any{"type": "object", "required": []string{"file", "owner_type", "owner_id"}, "properties": map[string]any{
					"file":       map[string]any{"type": "string", "format": "binary"},
					"owner_type": map[string]any{"type": "string", "enum": []string{"target_area", "plan", "task", "progress_note"}},
					"owner_id":   map[string]any{"type": "integer", "format": "int64"},
				}}},
			}}
		default:
			op["requestBody"] = map[string]any{"required": !r.OptionalBody, "content": map[string]any{"application/json": map[string]any{"schema": ref(r.Body)}}}
		}
		ok := map[string]any{"description": "OK"}
		switch r.Response {
		case "":
		case "xlsx":
			ok["content"] = map[string]any{xlsx.ContentType: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
		default:
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": ref(r.Response)}}
		}
		status := "200"
		if r.Method == http.MethodPost && r.Created {
			status = "201"
		}
		errResp := map[string]any{"description": "Error", "content": map[string]any{"application/json": map[string]any{"schema": ref("Error")}}}
		op["responses"] = map[string]any{status: ok, "default": errResp}
		if r.Permission != Public {
			op["security"] = []map[string][]string{{"bearer": {}}}
		}
		paths[p][strings.ToLower(r.Method)] = op
	}
	schemas := map[string]any{}
	for name, v := range schemaTypes() {
		schemas[name] = schemaFor(reflect.TypeOf(v), 0)
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":       "chuyenhoa API",
			"version":     s.opts.Version,
			"description": "Chuyển hóa địa bàn trọng điểm, phức tạp về TTATXH — API. Errors: {\"error\":{\"code\",\"message\",\"fields\"}}.",
		},
		"paths": paths,
		"components": map[string]any{
			"schemas":         schemas,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
		},
	}
}

func (s *Server) openapi(c echo.Context) error {
	return c.JSON(http.StatusOK, s.OpenAPI())
}

func operationID(r Route) string {
	p := strings.NewReplacer("/api/v1/", "", "/", "_", ":", "by_").Replace(r.Path)
	return strings.ToLower(r.Method) + "_" + p
}

func schemaOf(param string) map[string]any {
	if param == "id" || strings.HasSuffix(param, "_id") || strings.HasSuffix(param, "ID") {
		return map[string]any{"type": "integer", "format": "int64"}
	}
	return map[string]any{"type": "string"}
}

func ref(name string) map[string]any {
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

var timeType = reflect.TypeOf(time.Time{})

var dateType = reflect.TypeOf(domain.Date{})

// schemaFor describes how encoding/json writes a value of type t: a nil
// pointer, slice or map is null, and so is the zero Date.
func schemaFor(t reflect.Type, depth int) map[string]any {
	if depth > 10 {
		// Deeper than any of our types: any value, null included.
		return map[string]any{"nullable": true}
	}
	nullable := false
	for t.Kind() == reflect.Pointer {
		t, nullable = t.Elem(), true
	}
	out := schemaOfType(t, depth)
	if nullable || t.Kind() == reflect.Slice || t.Kind() == reflect.Map || t.Kind() == reflect.Interface || t == dateType {
		out["nullable"] = true
	}
	return out
}

func schemaOfType(t reflect.Type, depth int) map[string]any {
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	if t == dateType {
		return map[string]any{"type": "string", "format": "date", "example": "2024-03-12"}
	}
	if m, ok := reflect.New(t).Interface().(interface{ OpenAPISchema() map[string]any }); ok {
		return m.OpenAPISchema()
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": schemaFor(t.Elem(), depth+1)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaFor(t.Elem(), depth+1)}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		props := map[string]any{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := f.Name
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			if tag != "" {
				if n := strings.Split(tag, ",")[0]; n != "" {
					name = n
				}
			}
			if f.Anonymous && tag == "" {
				if sub, ok := schemaFor(f.Type, depth+1)["properties"].(map[string]any); ok {
					for k, v := range sub {
						props[k] = v
					}
				}
				continue
			}
			if f.Type.Name() == "BaseModel" {
				continue
			}
			props[name] = schemaFor(f.Type, depth+1)
		}
		return map[string]any{"type": "object", "properties": props}
	}
	return map[string]any{}
}
