package hangar_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// printAllowed are the writes to a standard stream outside the commands that are meant,
// by file and what they name.
var printAllowed = map[string]bool{
	// The agent's own log when its caller gives none: stderr, which `hangar agent start`
	// sends to the agent's log file.
	"pkg/agent/logging.go: os.Stderr": true,
}

// TestNoPrintingOutsideCommands: only commands (and main) write to stdout and stderr;
// domain packages and the daemon return errors and log through the logger they are given.
// Tests, testdata, bench/ and e2e/ are programs of their own.
func TestNoPrintingOutsideCommands(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || hasPrefix(module+"/"+path+"/", slices.Concat(commandPkgs, exemptPkgs))) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		for _, p := range prints(t, path, nil) {
			if !printAllowed[p.what] {
				t.Errorf("%s: %s: only commands write to stdout and stderr: return an error or log through the given logger", p.pos, p.name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// printCall is a write to a standard stream: what is "path: fmt.Println" (as
// printAllowed names it), name "fmt.Println", pos its place.
type printCall struct {
	what, name string
	pos        token.Position
}

// prints finds the writes to a standard stream in one Go file (src, or the file at
// path when src is nil): fmt.Print*, log.Print*, log.Fatal*, log.Panic*, os.Stdout,
// os.Stderr and the print builtins, under whatever names fmt, log and os are imported.
func prints(t *testing.T, path string, src any) []printCall {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{} // local name → "fmt", "os" or "log"
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if p != "fmt" && p != "os" && p != "log" {
			continue
		}
		names[p] = p
		if imp.Name != nil {
			delete(names, p)
			names[imp.Name.Name] = p
		}
	}
	var out []printCall
	ast.Inspect(f, func(n ast.Node) bool {
		if what := printing(n, names); what != "" {
			out = append(out, printCall{filepath.ToSlash(path) + ": " + what, what, fset.Position(n.Pos())})
		}
		return true
	})
	return out
}

func printing(n ast.Node, names map[string]string) string {
	switch n := n.(type) {
	case *ast.CallExpr:
		if id, ok := n.Fun.(*ast.Ident); ok && (id.Name == "print" || id.Name == "println") {
			return id.Name
		}
	case *ast.SelectorExpr:
		x, ok := n.X.(*ast.Ident)
		if !ok {
			return ""
		}
		sel := n.Sel.Name
		switch pkg := names[x.Name]; {
		case pkg == "fmt" && strings.HasPrefix(sel, "Print"),
			pkg == "log" && (strings.HasPrefix(sel, "Print") || strings.HasPrefix(sel, "Fatal") || strings.HasPrefix(sel, "Panic")),
			pkg == "os" && (sel == "Stdout" || sel == "Stderr"):
			return pkg + "." + sel
		}
	}
	return ""
}

// TestPrintScanFindsEveryForm: the scan sees prints under any import name, and not
// writes to a writer the caller chose.
func TestPrintScanFindsEveryForm(t *testing.T) {
	const src = `package p

import (
	"fmt"
	logpkg "log"
	"os"
)

func f(w io.Writer) {
	fmt.Println("a")
	fmt.Printf("%d", 1)
	logpkg.Printf("b")
	logpkg.Fatal("c")
	fmt.Fprintln(os.Stderr, "d")
	_ = os.Stdout
	println("e")
	fmt.Fprintln(w, "fine")
	_ = os.Stdin
	_ = fmt.Sprintf("fine")
}
`
	var got []string
	for _, p := range prints(t, "p/p.go", src) {
		got = append(got, p.what)
	}
	want := []string{"p/p.go: fmt.Println", "p/p.go: fmt.Printf", "p/p.go: log.Printf", "p/p.go: log.Fatal",
		"p/p.go: os.Stderr", "p/p.go: os.Stdout", "p/p.go: println"}
	if !slices.Equal(got, want) {
		t.Errorf("prints = %q, want %q", got, want)
	}
}
