package app

object Db {
  val user: String = "orders"
  val password: String = "Spruce-41x"
  props.setProperty("javax.net.ssl.keyStorePassword", "Ks-Pass-7781")
}
