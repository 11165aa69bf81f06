package ipalloc

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps ipalloc a domain package: no logging, no files or
// processes of its own (the database comes from the caller), no printing.
func TestImports(t *testing.T) {
	allowed := map[string]bool{
		"bytes": true, "encoding/binary": true, "errors": true, "fmt": true, "io": true,
		"math/bits": true, "net/netip": true, "slices": true, "time": true,
		"go.etcd.io/bbolt": true,
	}
	for name, f := range parseSources(t) {
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); !allowed[path] {
				t.Errorf("%s imports %s", name, path)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if fn := printCall(n); fn != "" {
				t.Errorf("%s calls %s", name, fn)
			}
			return true
		})
	}
}

// printCall names a call to fmt.Print…, fmt.Fprint…, print or println.
func printCall(n ast.Node) string {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return ""
	}
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		if fn.Name == "print" || fn.Name == "println" {
			return fn.Name
		}
	case *ast.SelectorExpr:
		pkg, ok := fn.X.(*ast.Ident)
		if ok && pkg.Name == "fmt" && strings.Contains(fn.Sel.Name, "rint") && !strings.HasPrefix(fn.Sel.Name, "Sprint") {
			return "fmt." + fn.Sel.Name
		}
	}
	return ""
}

func parseSources(t *testing.T) map[string]*ast.File {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*ast.File{}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		if files[name], err = parser.ParseFile(token.NewFileSet(), name, nil, 0); err != nil {
			t.Fatal(err)
		}
	}
	return files
}
