package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// apiFile is what servicegen knows of the client oapi-codegen generated:
// its types, its ClientInterface and ClientWithResponsesInterface methods,
// and which method serves which operationId.
type apiFile struct {
	name    string            // package name, e.g. vbawsapi
	path    string            // import path
	imports map[string]string // import name in the file -> import path
	types   map[string]*ast.TypeSpec
	methods map[string]*ast.FuncType // ClientInterface
	withRsp map[string]*ast.FuncType // ClientWithResponsesInterface
	byOpID  map[string][]string      // lower-case operationId -> ClientInterface methods
}

var opIDComment = regexp.MustCompile("the `([^`]+)` operationId")

func loadAPI(file, importPath string) (*apiFile, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	a := &apiFile{
		name: f.Name.Name, path: importPath, imports: map[string]string{},
		types: map[string]*ast.TypeSpec{}, methods: map[string]*ast.FuncType{},
		withRsp: map[string]*ast.FuncType{}, byOpID: map[string][]string{},
	}
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		n := path.Base(p)
		if im.Name != nil {
			n = im.Name.Name
		}
		a.imports[n] = p
	}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.TYPE {
			continue
		}
		for _, s := range g.Specs {
			ts := s.(*ast.TypeSpec)
			a.types[ts.Name.Name] = ts
		}
	}
	if err := a.readInterface("ClientInterface", a.methods, true); err != nil {
		return nil, err
	}
	if err := a.readInterface("ClientWithResponsesInterface", a.withRsp, false); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *apiFile) readInterface(name string, into map[string]*ast.FuncType, index bool) error {
	ts, ok := a.types[name]
	if !ok {
		return fmt.Errorf("%s: no %s (generate the client)", a.name, name)
	}
	it, ok := ts.Type.(*ast.InterfaceType)
	if !ok {
		return fmt.Errorf("%s.%s is not an interface", a.name, name)
	}
	for _, m := range it.Methods.List {
		ft, ok := m.Type.(*ast.FuncType)
		if !ok || len(m.Names) == 0 {
			continue
		}
		n := m.Names[0].Name
		into[n] = ft
		if index && m.Doc != nil {
			if sm := opIDComment.FindStringSubmatch(m.Doc.Text()); sm != nil {
				// The comment carries the normalized id (GetOneByID for
				// GetOneById), so ids are compared without case.
				id := strings.ToLower(sm[1])
				a.byOpID[id] = append(a.byOpID[id], n)
			}
		}
	}
	return nil
}

// structType returns the struct behind a type name, following aliases and
// definitions.
func (a *apiFile) structType(name string) (*ast.StructType, bool) {
	for range 10 {
		ts, ok := a.types[name]
		if !ok {
			return nil, false
		}
		switch t := ts.Type.(type) {
		case *ast.StructType:
			return t, true
		case *ast.Ident:
			name = t.Name
		default:
			return nil, false
		}
	}
	return nil, false
}

// unalias returns what a generated alias such as XJSONRequestBody stands
// for (the schema's own type), so signatures name the model users know.
func (a *apiFile) unalias(expr ast.Expr) ast.Expr {
	for range 10 {
		id, ok := expr.(*ast.Ident)
		if !ok {
			return expr
		}
		ts, ok := a.types[id.Name]
		if !ok || !ts.Assign.IsValid() {
			return expr
		}
		expr = ts.Type
	}
	return expr
}

// basic returns the predeclared type under expr ("string", "int32", ...),
// or "" when it is not a predeclared scalar.
func (a *apiFile) basic(expr ast.Expr) string {
	for range 10 {
		id, ok := expr.(*ast.Ident)
		if !ok {
			return ""
		}
		ts, ok := a.types[id.Name]
		if !ok {
			switch id.Name {
			case "string", "bool", "int", "int8", "int16", "int32", "int64",
				"uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
				return id.Name
			}
			return ""
		}
		expr = ts.Type
	}
	return ""
}

// field is one field of a generated struct.
type field struct {
	name string
	typ  ast.Expr
	tag  string // the wire name: the json tag's name
	doc  string
}

func (a *apiFile) fields(st *ast.StructType) []field {
	var out []field
	for _, f := range st.Fields.List {
		var tag string
		if f.Tag != nil {
			raw, _ := strconv.Unquote(f.Tag.Value)
			st := reflect.StructTag(raw)
			tag = st.Get("json")
			if tag == "" {
				tag = st.Get("form")
			}
			tag, _, _ = strings.Cut(tag, ",")
		}
		for _, n := range f.Names {
			out = append(out, field{name: n.Name, typ: f.Type, tag: tag, doc: strings.TrimSpace(f.Doc.Text())})
		}
	}
	return out
}

// renderer prints generated types as the facade names them: qualified by
// the api package, with the imports they need recorded.
type renderer struct {
	api     *apiFile
	imports map[string]string // name -> path
}

func (r *renderer) use(name, path string) string {
	r.imports[name] = path
	return name
}

func (r *renderer) typ(expr ast.Expr) string {
	switch t := expr.(type) {
	case *ast.Ident:
		if _, ok := r.api.types[t.Name]; ok {
			return r.use(r.api.name, r.api.path) + "." + t.Name
		}
		return t.Name
	case *ast.StarExpr:
		return "*" + r.typ(t.X)
	case *ast.ArrayType:
		if t.Len != nil {
			return "[" + r.expr(t.Len) + "]" + r.typ(t.Elt)
		}
		return "[]" + r.typ(t.Elt)
	case *ast.MapType:
		return "map[" + r.typ(t.Key) + "]" + r.typ(t.Value)
	case *ast.InterfaceType:
		return "any"
	case *ast.SelectorExpr:
		x := t.X.(*ast.Ident).Name
		p := r.api.imports[x]
		if p == "github.com/oapi-codegen/runtime/types" && t.Sel.Name == "UUID" {
			return r.use("uuid", "github.com/google/uuid") + ".UUID"
		}
		if p == "" {
			p = x
		}
		return r.use(x, p) + "." + t.Sel.Name
	case *ast.Ellipsis:
		return "..." + r.typ(t.Elt)
	}
	panic(fmt.Sprintf("servicegen: unsupported type expression %T", expr))
}

func (r *renderer) expr(e ast.Expr) string {
	if b, ok := e.(*ast.BasicLit); ok {
		return b.Value
	}
	return r.typ(e)
}
