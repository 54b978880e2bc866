module example.com/bannedcall

go 1.22
