package main

import (
	"net"

	"example.com/sig/grpc"
)

func main() {
	lis, err := net.Listen("tcp", ":9000")
	if err != nil {
		panic(err)
	}
	defer lis.Close()
	s := grpc.NewServer()
	_ = s.Serve(lis) // want `blocks in \(\*example.com/sig/grpc.Server\).Serve \(line 16\)`
}
