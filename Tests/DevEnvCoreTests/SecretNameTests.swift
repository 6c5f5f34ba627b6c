@testable import DevEnvCore
import Testing

@Suite struct SecretNameTests {
    @Test func namesThatLookSecret() {
        for name in ["API_TOKEN", "token", "GitHubToken", "AWS_SECRET_ACCESS_KEY", "DB_PASSWORD", "passwd", "SIGNING_KEY",
                     "_key", "SECRET", "MY_PASSWD_FILE"] {
            #expect(SecretName.looksSecret(name), "\(name)")
        }
        for name in ["", "KEY", "KEYBOARD", "TOKE", "SECRE", "PASS_WORD", "LOG_LEVEL", "DEBUG", "KEY_ID", "MONKEY", "é_TOKEN_"] {
            #expect(SecretName.looksSecret(name) == (name == "é_TOKEN_"), "\(name)")
        }
    }
}

@Suite struct UTF8SearchTests {
    @Test func containsUTF8() {
        #expect("Up 2 minutes (healthy)".containsUTF8("(healthy)"))
        #expect(!"Up 2 minutes (unhealthy)".containsUTF8("(healthy)"))
        #expect("abc".containsUTF8(""))
        #expect("abc".containsUTF8("abc"))
        #expect(!"ab".containsUTF8("abc"))
        #expect("日本 (healthy)".containsUTF8("本 ("))
        #expect(!"".containsUTF8("x"))
    }
}
