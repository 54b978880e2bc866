// Command docserve renders package docs into a scratch directory and serves
// them for local preview.
package main

import (
	"flag"
	"fmt"
	"html"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"example.com/clidevtools/internal/lockfile"
)

func renderPackage(dir, pkg string) error {
	out, err := exec.Command("go", "doc", "-all", pkg).Output()
	if err != nil {
		return fmt.Errorf("go doc %s: %w", pkg, err)
	}
	name := strings.ReplaceAll(strings.Trim(pkg, "./"), "/", "_")
	if name == "" {
		name = "root"
	}
	page := "<html><body><pre>" + html.EscapeString(string(out)) + "</pre></body></html>\n"
	return os.WriteFile(filepath.Join(dir, name+".html"), []byte(page), 0o644)
}

func writeIndex(dir string, pkgs []string) error {
	var b strings.Builder
	b.WriteString("<html><body><ul>\n")
	for _, p := range pkgs {
		name := strings.ReplaceAll(strings.Trim(p, "./"), "/", "_")
		fmt.Fprintf(&b, "<li><a href=%q>%s</a></li>\n", name+".html", html.EscapeString(p))
	}
	b.WriteString("</ul></body></html>\n")
	return os.WriteFile(filepath.Join(dir, "index.html"), []byte(b.String()), 0o644)
}

func main() {
	addr := flag.String("addr", "localhost:6061", "listen address")
	flag.Parse()
	pkgs := flag.Args()
	if len(pkgs) == 0 {
		pkgs = []string{"."}
	}
	lf, err := lockfile.Acquire(filepath.Join(os.TempDir(), "docserve.lock"))
	if err != nil {
		log.Fatal(err)
	}
	defer lf.Release()
	root := filepath.Join(os.TempDir(), "docserve-site")
	if err := os.MkdirAll(root, 0o755); err != nil {
		log.Print(err)
		return
	}
	for _, p := range pkgs {
		if err := renderPackage(root, p); err != nil {
			log.Print(err)
		}
	}
	if err := writeIndex(root, pkgs); err != nil {
		log.Print(err)
		return
	}
	log.Printf("serving %s on http://%s", root, *addr)
	err = http.ListenAndServe(*addr, http.FileServer(http.Dir(root))) // HAZ signal-skips-defer
	log.Printf("server stopped: %v", err)
}
