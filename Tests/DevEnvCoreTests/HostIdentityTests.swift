import DevEnvCore
import Testing

@Suite struct HostIdentityTests {
    let accounts: @Sendable (UInt32) -> (name: String, home: String)? = { uid in
        [1000: ("ubuntu", "/home/ubuntu"), 1500: ("ada", "/home/ada")][uid].map { (name: $0.0, home: $0.1) }
    }

    @Test func anOrdinaryUserIsThemselves() {
        let identity = HostIdentity.resolve(HostFacts(uid: 501, gid: 20, userName: "ada", home: "/Users/ada"))
        #expect(identity == HostIdentity(uid: 501, gid: 20, userName: "ada", home: "/Users/ada", source: .host))
    }

    @Test func underSudoTheInvokingUser() {
        let identity = HostIdentity.resolve(HostFacts(uid: 0, gid: 0, userName: "root", home: "/root", sudoUID: "1500",
                                                      sudoGID: "1600", sudoUser: "ada", accountLookup: accounts))
        #expect(identity == HostIdentity(uid: 1500, gid: 1600, userName: "ada", home: "/home/ada", source: .sudo))
    }

    @Test func plainRootTakesTheFolderOwner() {
        let identity = HostIdentity.resolve(HostFacts(uid: 0, gid: 0, userName: "root", home: "/root",
                                                      folderOwner: (1500, 1501), accountLookup: accounts))
        #expect(identity == HostIdentity(uid: 1500, gid: 1501, userName: "ada", home: "/home/ada", source: .folderOwner))
    }

    @Test func neverRootEvenForARootOwnedFolder() {
        let identity = HostIdentity.resolve(HostFacts(uid: 0, gid: 0, userName: "root", home: "/root", sudoUID: "0",
                                                      folderOwner: (0, 0), accountLookup: accounts))
        #expect(identity.uid == 1000)
        #expect(identity.source == .fallback)
    }
}
