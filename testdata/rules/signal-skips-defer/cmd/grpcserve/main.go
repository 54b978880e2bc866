package main

import (
	"net"

	"example.com/sig/grpc"
	"example.com/sig/store"
)

func main() {
	lis, err := net.Listen("tcp", ":9000")
	if err != nil {
		panic(err)
	}
	defer lis.Close()
	db, _ := store.Open("x")
	defer db.Close()
	s := grpc.NewServer()
	_ = s.Serve(lis) // want `main defers db.Close\(\) \(line 17\) and then blocks in \(\*example.com/sig/grpc.Server\).Serve \(line 19\)`
}
