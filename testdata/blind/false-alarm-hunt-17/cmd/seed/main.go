// Command seed imports a directory of files into a (new or existing) store.
package main

import (
	"log"
	"os"

	"example.com/fah17/internal/store"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("seed: ")
	if len(os.Args) != 3 {
		log.Fatal("usage: seed <store-root> <dir>")
	}
	st, err := store.Open(os.Args[1], store.Options{})
	if err != nil {
		log.Fatalf("open store: %v", err)
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Printf("close store: %v", err)
		}
	}()
	n, err := st.ImportDir(os.Args[2])
	if err != nil {
		log.Fatalf("import: %v", err) // HAZ exit-skips-defer
	}
	log.Printf("imported %d files", n)
}
