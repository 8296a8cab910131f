import ModelServer

print("serve \(ServerInfo.version)")
