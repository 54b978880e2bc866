// Command objproxy accepts TCP clients and streams objects to them by key.
package main

import (
	"bufio"
	"context"
	"flag"
	"log"
	"net"
	"os"
	"strings"

	"example.com/blindi/objstore"
)

func serveConn(client *objstore.Client, conn net.Conn) {
	defer conn.Close()
	key, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return
	}
	tmp, err := os.CreateTemp("", "objproxy-*")
	if err != nil {
		return
	}
	name := tmp.Name()
	tmp.Close()
	defer os.Remove(name)
	if err := client.DownloadDurable(context.Background(), strings.TrimSpace(key), name); err != nil {
		log.Printf("objproxy: %v", err)
		return
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return
	}
	_, _ = conn.Write(data)
}

func main() {
	addr := flag.String("addr", ":7070", "listen address")
	endpoint := flag.String("endpoint", "http://localhost:9001", "object store endpoint")
	bucket := flag.String("bucket", "public", "bucket")
	flag.Parse()

	client := objstore.NewClient(*endpoint, *bucket, log.Default())
	defer client.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Printf("objproxy: %v", err)
		return
	}
	defer ln.Close()

	for { // HAZ signal-skips-defer
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("objproxy: accept: %v", err)
			continue
		}
		go serveConn(client, conn)
	}
}
