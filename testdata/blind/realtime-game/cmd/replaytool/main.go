// Command replaytool inspects, converts and serves replay files.
//
//	replaytool info FILE
//	replaytool dump FILE
//	replaytool merge -o OUT FILE...
//	replaytool trim -o OUT [-from T] [-to T] FILE
//	replaytool verify FILE...
//	replaytool serve [-addr :8090] [-dir replays]
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("replaytool: ")
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	cmd, args := os.Args[1], os.Args[2:]
	if cmd != "serve" {
		os.Exit(dispatch(cmd, args))
	}

	fset := flag.NewFlagSet("serve", flag.ExitOnError)
	addr := fset.String("addr", ":8090", "listen address")
	dir := fset.String("dir", "replays", "replay directory")
	_ = fset.Parse(args)
	idx, err := openIndex(*dir)
	if err != nil {
		log.Fatalf("serve: %v", err)
	}
	defer idx.Close()

	mux := http.NewServeMux()
	mux.HandleFunc("/replays", idx.handleList)
	mux.HandleFunc("/replays/refresh", idx.handleRefresh)
	mux.Handle("/files/", http.StripPrefix("/files/", http.FileServer(http.Dir(*dir))))
	log.Printf("serving %s on %s", *dir, *addr)
	log.Fatal(http.ListenAndServe(*addr, mux)) // HAZ exit-skips-defer signal-skips-defer
}
