@testable import DevEnvCore
import Testing

/// `ContainerIndex` only finds candidates faster: every answer through it must be the one the
/// scan of the whole `docker ps` answer gives (`ContainerOwnership`'s rule, the first holder of a
/// name, docker's leading "/"), for every environment of a many-profile listing.
@Suite struct ContainerIndexTests {
    static func line(_ id: String, _ name: String, _ labels: String, state: String = "running") -> String {
        #"{"ID":"\#(id)","Names":"\#(name)","Image":"i","State":"\#(state)","Status":"Up","Labels":"\#(labels)","Ports":"","CreatedAt":"now"}"#
    }

    static func own(_ profile: String, root: String = "/src/shop") -> String {
        "devenv.project=shop,devenv.profile=\(profile),devenv.root=\(root)"
    }

    /// Profiles dev, ci, p0...p5 with: their own containers, a foreign holder of one name (another
    /// folder's), a name held twice (the first wins), one listed with docker's "/", services
    /// configured and orphaned, a service container of one profile labelled for another, and
    /// containers without labels.
    static let listing: [ContainerSnapshot] = {
        let lines = [
            line("dev", "devenv-shop-dev-497e78ff", own("dev")),
            line("ci", "/devenv-shop-ci-497e78ff", own("ci")),
            line("p0", "devenv-shop-p0-497e78ff", own("p0", root: "/elsewhere")),
            line("p1-first", "devenv-shop-p1-497e78ff", "maintainer=x"),
            line("p1-second", "devenv-shop-p1-497e78ff", own("p1")),
            line("p2", "devenv-shop-p2-497e78ff", own("p2"), state: "exited"),
            line("dev-db", "devenv-shop-dev-497e78ff-svc-db", own("dev") + ",devenv.service=db"),
            line("dev-old", "/devenv-shop-dev-497e78ff-svc-old", own("dev") + ",devenv.service=old", state: "exited"),
            line("p2-cache", "devenv-shop-p2-497e78ff-svc-cache", own("p2") + ",devenv.service=cache"),
            line("p3-as-p2", "devenv-shop-p3-497e78ff-svc-x", own("p2") + ",devenv.service=x"),
            line("p4-other", "devenv-shop-p4-497e78ff-svc-y", own("p4", root: "/elsewhere") + ",devenv.service=y"),
            line("bare", "devenv-shop-p5-497e78ff-svc-z", ""),
        ]
        return (try? ContainerSnapshot.parseList(lines.joined(separator: "\n"))) ?? []
    }()

    @Test func everyAnswerIsTheScansAnswer() throws {
        #expect(Self.listing.count == 12)
        let index = ContainerIndex(Self.listing)
        #expect(index.all == Self.listing)
        for profile in ["dev", "ci", "p0", "p1", "p2", "p3", "p4", "p5", "absent"] {
            let names = ResourceNames(project: "shop", profile: profile, projectRoot: "/src/shop")
            for name in [names.container, names.replacementContainer, "/" + names.container] {
                #expect(ContainerOwnership(name: name, in: index, names: names) == ContainerOwnership(name: name, in: Self.listing, names: names),
                        "\(name)")
            }
            for service in ["db", "old", "cache", "x", "y", "z"] {
                let name = names.serviceContainer(service)
                #expect(ContainerOwnership(name: name, in: index, names: names, service: service)
                        == ContainerOwnership(name: name, in: Self.listing, names: names, service: service), "\(name)")
            }
            for configured in [[], ["db"], ["cache", "x"]] {
                #expect(ContainerOwnership.orphanedServices(in: index, names: names, configured: configured)
                        == ContainerOwnership.orphanedServices(in: Self.listing, names: names, configured: configured),
                        "\(profile) \(configured)")
            }
        }
    }

    @Test func theAnswersThemselves() throws {
        let index = ContainerIndex(Self.listing)
        let dev = ResourceNames(project: "shop", profile: "dev", projectRoot: "/src/shop")
        #expect(ContainerOwnership(name: dev.container, in: index, names: dev).ours?.id == "dev")
        #expect(ContainerOwnership.orphanedServices(in: index, names: dev, configured: ["db"]).map(\.container.id) == ["dev-old"])
        let ci = ResourceNames(project: "shop", profile: "ci", projectRoot: "/src/shop")
        #expect(ContainerOwnership(name: ci.container, in: index, names: ci).ours?.id == "ci")
        // Held twice: the first holder (no labels) is the one judged, as the scan judged it.
        let p1 = ResourceNames(project: "shop", profile: "p1", projectRoot: "/src/shop")
        guard case .foreign(let holder, _) = ContainerOwnership(name: p1.container, in: index, names: p1) else {
            Issue.record("the first holder of devenv-shop-p1-497e78ff has no labels: foreign")
            return
        }
        #expect(holder.id == "p1-first")
        let p0 = ResourceNames(project: "shop", profile: "p0", projectRoot: "/src/shop")
        #expect(ContainerOwnership(name: p0.container, in: index, names: p0).ours == nil)
        // p2's orphan named like p3's service is not p2's (its name is not p2's service's).
        let p2 = ResourceNames(project: "shop", profile: "p2", projectRoot: "/src/shop")
        #expect(ContainerOwnership.orphanedServices(in: index, names: p2, configured: []).map(\.container.id) == ["p2-cache"])
        #expect(index.labelled(profile: "p2").map(\.id) == ["p2", "p2-cache", "p3-as-p2"])
        #expect(index.labelled(profile: "nobody").isEmpty)
        #expect(index.named("devenv-shop-ci-497e78ff")?.id == "ci")
        #expect(index.named("/devenv-shop-ci-497e78ff")?.id == "ci")
        #expect(index.named("devenv-shop-p1-497e78ff")?.id == "p1-first")
    }
}
