require "stripe"

Stripe.api_key = ENV["STRIPE_SECRET_KEY"]
Stripe.api_key = ENV.fetch("STRIPE_KEY")
SECRET = Rails.application.credentials.secret_key_base
GITHUB_TOKEN = ENV['GITHUB_TOKEN']
config.api_key = Rails.application.credentials.dig(:sendgrid, :api_key)
config.password = ENV.fetch("SMTP_PASSWORD", nil)

class User < ApplicationRecord
  has_secure_password
  has_secure_token :api_token
  validates :password, length: { minimum: 12 }, allow_nil: true
  encrypts :otp_secret

  def regenerate_password_reset_token!
    update!(password_reset_token: SecureRandom.urlsafe_base64(32), password_reset_sent_at: Time.current)
  end
end
